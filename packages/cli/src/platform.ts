/**
 * Opens the local platform for one command. On this machine the CLI acts as
 * the owner account (created on first use, with PATCHBAY_OWNER_EMAIL and
 * PATCHBAY_OWNER_PASSWORD when set). Without a given password no password is
 * made here: `patchbay serve`, which serves the sign-in form, generates it and
 * shows it once. With PATCHBAY_TOKEN set it acts as that API token's user.
 */
import { PatchbayError } from '@patchbay/core';
import type { Actor, Platform, PlatformOptions } from '@patchbay/platform';

export async function openLocalPlatform(
  opts: Pick<PlatformOptions, 'executor'> = {},
): Promise<{ platform: Platform; me: Actor }> {
  const { openPlatform } = await import('@patchbay/platform');
  const platform = await openPlatform({ publicUrl: process.env.PATCHBAY_PUBLIC_URL, ...opts });
  try {
    const owner = await platform.users.ensureOwner({
      email: process.env.PATCHBAY_OWNER_EMAIL || undefined,
      password: process.env.PATCHBAY_OWNER_PASSWORD || undefined,
      generatePassword: false,
    });
    const token = process.env.PATCHBAY_TOKEN;
    if (token) {
      // Act as the token's user instead of the owner (shared machines, scripts run for someone else).
      const user = await platform.users.authenticateToken(token);
      if (!user)
        throw new PatchbayError('auth.denied', 'PATCHBAY_TOKEN is not a valid API token.', {
          hint: 'Create one with `patchbay token create NAME`, or unset PATCHBAY_TOKEN to act as the owner.',
        });
      return { platform, me: user };
    }
    return { platform, me: owner.user };
  } catch (e) {
    await platform.close();
    throw e;
  }
}

export async function withPlatform<T>(
  fn: (platform: Platform, me: Actor) => Promise<T>,
  opts: Pick<PlatformOptions, 'executor'> = {},
): Promise<T> {
  const { platform, me } = await openLocalPlatform(opts);
  try {
    return await fn(platform, me);
  } finally {
    await platform.close();
  }
}
