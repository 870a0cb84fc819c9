// Builds the `patchbay` bundle from the current sources before the tests that run the command.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const script = fileURLToPath(new URL('../../../scripts/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--cli-only'], { stdio: 'inherit' });
}
