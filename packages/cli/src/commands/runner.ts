/**
 * `patchbay runner --server URL --token-env VAR`: this computer runs flows
 * for a Patchbay server as a registered machine. It needs only the machine
 * token (read from the environment variable VAR, never from argv): no
 * database, no master key. Stops on SIGTERM / SIGINT; exits 1 when the
 * server refuses the token.
 */
import { PatchbayError } from '@patchbay/core';

export async function runnerCommand(opts: { server: string; tokenEnv: string }): Promise<void> {
  const token = process.env[opts.tokenEnv];
  if (!token)
    throw new PatchbayError('store.invalid', `The environment variable ${opts.tokenEnv} holds no machine token.`, {
      hint: `Set ${opts.tokenEnv} to the token \`patchbay machine register NAME\` printed.`,
    });
  let server: URL;
  try {
    server = new URL(opts.server);
    if (server.protocol !== 'http:' && server.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new PatchbayError('store.invalid', `--server "${opts.server}" is not an http(s) URL.`, {
      hint: 'Pass the address the server is reached at, such as https://patchbay.example.com.',
    });
  }
  // The token stays in this process only: the runner it starts gets a scrubbed environment.
  delete process.env[opts.tokenEnv];
  const { runMachine } = await import('@patchbay/runtime');
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await runMachine({
    server: server.toString(),
    token,
    signal: stop.signal,
    print: (line) => process.stderr.write(`${line}\n`),
  });
}
