/**
 * The `patchbay` command. One folder per noun, one file per verb; each
 * command's module is imported only when it runs, so start-up stays fast.
 */
import { Command } from 'commander';
import { collectPairs, fail } from './output.js';

const program = new Command('patchbay')
  .description('Desktop flows with connector actions: run flow files, manage connectors, connections, references and solutions, serve the designer.')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)');

const lazy =
  <A extends unknown[]>(load: () => Promise<(...args: A) => Promise<void>>) =>
  async (...args: A) => {
    try {
      const fn = await load();
      await fn(...args);
    } catch (e) {
      fail(e);
    }
  };

program
  .command('run')
  .description('Run a flow file, showing step progress')
  .argument('<FLOW_FILE>', 'a *.flow.json file')
  .option('--env <E>', 'environment whose connections and variables the run uses', 'default')
  .option('--input <NAME=VALUE>', 'a flow input, read as the input\'s type (JSON for list and object); repeatable', collectPairs, {})
  .option('--connection <REF=CONNECTION_ID>', 'use your own connection for a connection reference; repeatable', collectPairs, {})
  .option('--max-loop-iterations <N>', 'fail a loop that runs more often than this')
  .option('--json', 'print {status, outputs, error?, steps} as JSON')
  .action(lazy(async () => (await import('./commands/run.js')).runCommand));

program
  .command('validate')
  .description('Check a flow file without running it')
  .argument('<FLOW_FILE>', 'a *.flow.json file')
  .option('--json', 'print the diagnostics as JSON')
  .action(lazy(async () => (await import('./commands/validate.js')).validateCommand));

const actions = program.command('actions').description('The standard action library');
actions
  .command('list')
  .description('List every standard action and block')
  .option('--group <GROUP>', 'only this group (Variables, Text, File, …)')
  .option('--json', 'print the declarations as JSON')
  .action(lazy(async () => (await import('./commands/actions/list.js')).actionsListCommand));

program
  .command('schema')
  .description('Print a published JSON Schema')
  .addArgument(new Command().createArgument('<NAME>', 'the schema: flow').choices(['flow']))
  .action(lazy(async () => (await import('./commands/schema.js')).schemaCommand));


program.parseAsync(process.argv).catch(fail);
