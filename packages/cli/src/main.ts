import { Command } from 'commander';

const program = new Command('patchbay').description('Desktop flows with connector actions.');
program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`patchbay: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
