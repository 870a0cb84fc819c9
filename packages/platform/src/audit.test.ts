import { describe, expect, it } from 'vitest';
import { nodeClock } from '@patchbay/runtime';
import { auditRetentionDays } from './audit.js';
import { dialects, freshPlatform, rejection } from './test-support.js';

const DAY = 86_400_000;

describe.each(dialects)('audit log retention and reading on $name', (dialect) => {
  it.skipIf(!dialect.available)('prunes entries older than the retention, and only those', async () => {
    const t = await freshPlatform(dialect);
    try {
      const me = (await t.platform.users.ensureOwner({ email: 'audit@example.com', password: 'correct horse battery' }))
        .user;
      await t.platform.users.login('audit@example.com', 'correct horse battery');
      await t.platform.users.createToken(me, 'one');
      expect((await t.platform.audit.list(me)).length).toBe(2);
      // The same database a year and a day later, with the default retention (365 days) and with a longer one.
      const later = (days: number) => ({ now: () => new Date(Date.now() + days * DAY), sleep: nodeClock.sleep });
      const keeping = await t.open({ clock: later(366), auditRetentionDays: 400 });
      expect(await keeping.audit.prune()).toBe(0);
      const pruning = await t.open({ clock: later(366) });
      expect(pruning.audit.retentionDays).toBe(365);
      expect(await pruning.audit.prune()).toBe(2);
      expect(await t.platform.audit.list(me)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it.skipIf(!dialect.available)(
    'refuses the audit log to a member, and finds their entries for the owner',
    async () => {
      const t = await freshPlatform(dialect);
      try {
        const me = (
          await t.platform.users.ensureOwner({ email: 'audit@example.com', password: 'correct horse battery' })
        ).user;
        const member = await t.platform.users.createUser(me, { email: 'm@example.com', password: 'member password' });
        await t.platform.users.createToken(member, 'mine');
        const refused = await rejection(t.platform.audit.list(member));
        expect(refused.code).toBe('auth.denied');
        expect((await rejection(t.platform.audit.list(member, { environment: 'default' }))).code).toBe('auth.denied');
        expect((await t.platform.audit.list(me, { actorEmail: 'm@example.com' })).map((e) => e.action)).toEqual([
          'token.create',
        ]);
      } finally {
        await t.close();
      }
    },
  );
});

describe('PATCHBAY_AUDIT_RETENTION_DAYS', () => {
  it('defaults to 365 days and refuses anything but a whole number of days, naming the variable', () => {
    expect(auditRetentionDays(undefined)).toBe(365);
    expect(auditRetentionDays('')).toBe(365);
    expect(auditRetentionDays('30')).toBe(30);
    for (const bad of ['0', '-5', '1.5', 'forever', '99999'])
      expect(() => auditRetentionDays(bad)).toThrow(/PATCHBAY_AUDIT_RETENTION_DAYS must be a whole number/);
  });
});
