/**
 * The `patchbay` command. One folder per noun, one file per verb; each
 * command's module is imported only when it runs, so start-up stays fast.
 */
import { Command, Option } from 'commander';
import { startRunnerEarly } from '@patchbay/runtime/spawn';
import { collectPairs, fail, wholeNumber } from './output.js';
import type { CreateOptions } from './commands/connection.js';

// `patchbay run` with the store runs its flow in a runner process: fork it first, so that it boots while this
// process loads the engine and opens the store (the run's pool takes it).
if (process.argv[2] === 'run' && process.env.PATCHBAY_RUN_LOCAL !== '1') startRunnerEarly();

/** Set by the build (the repository's version, or the packed tarball's); absent when run from source. */
declare const __PATCHBAY_VERSION__: string | undefined;

const program = new Command('patchbay')
  .description(
    'Desktop flows with connector actions: run flow files, manage connectors, connections, references and solutions, serve the designer.',
  )
  .version(typeof __PATCHBAY_VERSION__ === 'string' ? __PATCHBAY_VERSION__ : '0.1.0')
  // The program's own flags come before a command, so `flow export ID --version 2` reaches the command instead of printing Patchbay's version.
  .enablePositionalOptions()
  .showHelpAfterError('(add --help for usage)');

const lazy =
  <A extends unknown[]>(load: () => Promise<(...args: A) => Promise<void>>) =>
  async (...args: A) => {
    try {
      const fn = await load();
      await fn(...args);
    } catch (e) {
      await fail(e);
    }
  };

program
  .command('run')
  .description('Run a flow file, showing step progress')
  .argument('<FLOW_FILE>', 'a *.flow.json file')
  .option('--env <E>', 'environment whose connections and variables the run uses', 'default')
  .option(
    '--input <NAME=VALUE>',
    "a flow input, read as the input's type (JSON for list and object); repeatable",
    collectPairs,
    {},
  )
  .option(
    '--connection <REF=CONNECTION_ID>',
    'use your own connection for a connection reference; repeatable',
    collectPairs,
    {},
  )
  .option(
    '--max-loop-iterations <N>',
    'fail a loop that runs more often than this',
    wholeNumber('--max-loop-iterations', 1),
  )
  .addOption(
    new Option(
      '--record <MODE>',
      "how the run's steps are recorded: all, summary (the first 1,000 and last 100 steps and every failure in full, the rest as one aggregate per step) or none",
    ).choices(['all', 'summary', 'none']),
  )
  .option('--json', 'print {status, outputs, error?, steps, aggregates} as JSON')
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

const ENV = ['--env <E>', 'environment', 'default'] as const;
const collectList = (v: string, prev: string[] = []) => [...prev, v];

// Connectors
const connector = program
  .command('connector')
  .description('Connectors: Power Platform custom connectors, OpenAPI files and the built-in ones');
connector
  .command('import')
  .description('Import a Power Platform connector folder or an OpenAPI file into an environment; prints its id')
  .argument(
    '<PATH>',
    'a folder with apiDefinition.swagger.json + apiProperties.json, or an OpenAPI 2.0/3.x file (JSON or YAML)',
  )
  .option(...ENV)
  .option('--id <ID>', 'the connector id (default: the title in lower-case kebab form)')
  .option('--json', 'print the normalised connector as JSON')
  .action(lazy(async () => (await import('./commands/connector/store.js')).connectorImportCommand));
connector
  .command('inspect')
  .description('Print the normalised connector without storing it')
  .argument('<PATH>', 'a connector folder or an OpenAPI file')
  .option('--id <ID>', 'the connector id to use')
  .option('--json', 'print JSON: id, auth schemes, operations, inputs, outputs, warnings')
  .action(lazy(async () => (await import('./commands/connector/inspect.js')).connectorInspectCommand));
connector
  .command('list')
  .description('List the connectors of an environment (built-in and imported)')
  .option(...ENV)
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/connector/store.js')).connectorListCommand));
connector
  .command('delete')
  .description(
    'Delete an imported connector (its owner, a co-owner or an environment admin); refused while flows use it unless --force',
  )
  .argument('<ID>', 'the connector id')
  .option(...ENV)
  .option('--force', 'delete it although flows use it (they cannot run until it is imported again)')
  .option('--json', 'print {id, usedBy} as JSON')
  .action(lazy(async () => (await import('./commands/connector/store.js')).connectorDeleteCommand));
connector
  .command('share')
  .description('Make a user a co-owner of an imported connector (may update, share and delete it)')
  .argument('<ID>', 'the connector id')
  .argument('<EMAIL>', "the user's email")
  .option(...ENV)
  .option('--remove', 'remove the co-owner instead')
  .option('--json', 'print the owners as JSON')
  .action(lazy(async () => (await import('./commands/connector/store.js')).connectorShareCommand));
connector
  .command('call')
  .description(
    'Try one operation, the way Power Platform\'s "Test operation" does; prints the request sent and the response',
  )
  .argument('<PATH_OR_ID>', 'a connector folder, an OpenAPI file, or a connector id')
  .argument('<OPERATION>', 'the operation id')
  .option('--param <NAME=VALUE>', 'an operation parameter; repeatable', collectPairs, {})
  .option('--env <E>', 'environment to find an imported connector id in', 'default')
  .option('--base-url <URL>', "send to this base URL instead of the connector's")
  .option(
    '--auth-file <FILE>',
    'JSON file with connection parameter values (also read: PATCHBAY_AUTH_<NAME> environment variables)',
  )
  .option('--scheme <S>', 'the auth scheme to use')
  .option('--timeout <SECONDS>', 'per-request timeout')
  .option(
    '--retries <N>',
    "retry 408, 429 and 5xx answers up to N times with Power Platform's backoff (default: try once)",
    '0',
  )
  .option('--json', 'print {request, response} as JSON')
  .action(lazy(async () => (await import('./commands/connector/call.js')).connectorCallCommand));

// Connections
const connection = program
  .command('connection')
  .description('Connections: your authenticated links to connectors (secrets encrypted at rest)');
connection
  .command('create')
  .description(
    'Create a connection; prints its id. Secrets come from --secret-env, --secrets-stdin or a prompt, never from argv',
  )
  .argument('<CONNECTOR>', 'connector id')
  .requiredOption('--name <NAME>', 'display name')
  .option(...ENV)
  .option('--scheme <S>', 'auth scheme (connection parameter set) name')
  .option('--param <NAME=VALUE>', 'a non-secret connection parameter; repeatable', collectPairs, {})
  .option(
    '--secret-env <NAME=ENV_VAR>',
    'read secret parameter NAME from environment variable ENV_VAR; repeatable',
    collectPairs,
    {},
  )
  .option('--secrets-stdin', 'read secret parameters as a JSON object on stdin')
  .option('--base-url <URL>', "override the connector's base URL (self-hosted instances, sandboxes, proxies)")
  .option('--no-sign-in', 'OAuth2: create the connection without signing in now')
  .option('--json', 'print the connection as JSON')
  .action(
    lazy(
      async () => async (id: string, o: CreateOptions & { signIn?: boolean }) =>
        (await import('./commands/connection.js')).connectionCreateCommand(id, { ...o, noSignIn: o.signIn === false }),
    ),
  );
connection
  .command('list')
  .description('List the connections you own or that are shared with you')
  .option(...ENV)
  .option('--connector <ID>', 'only this connector')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/connection.js')).connectionListCommand));
connection
  .command('test')
  .description('Test a connection and record its status')
  .argument('<CONNECTION_ID>')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/connection.js')).connectionTestCommand));
connection
  .command('share')
  .description('Let another user use a connection (never read its secrets)')
  .argument('<CONNECTION_ID>')
  .argument('<EMAIL>')
  .option('--remove', 'stop sharing')
  .action(lazy(async () => (await import('./commands/connection.js')).connectionShareCommand));
connection
  .command('reconnect')
  .description('Sign in again (OAuth2) or replace secrets (--secret-env)')
  .argument('<CONNECTION_ID>')
  .option(
    '--secret-env <NAME=ENV_VAR>',
    'new secret parameter from an environment variable; repeatable',
    collectPairs,
    {},
  )
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/connection.js')).connectionReconnectCommand));
connection
  .command('delete')
  .description(
    'Delete a connection; refused while a reference is bound to it unless --force, which lists what it unbinds',
  )
  .argument('<CONNECTION_ID>')
  .option('--force', 'unbind the references that use it')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/connection.js')).connectionDeleteCommand));

// Connection references
const ref = program.command('ref').description('Connection references: the named sockets flows plug into');
ref
  .command('create')
  .description('Create a connection reference')
  .argument('<LOGICAL_NAME>')
  .requiredOption('--connector <ID>', 'connector id')
  .option('--display-name <TEXT>', 'display name')
  .option('--description <TEXT>', 'description')
  .option(...ENV)
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/ref.js')).refCreateCommand));
ref
  .command('bind')
  .description('Bind a reference to a connection in an environment (every flow that uses it follows)')
  .argument('<LOGICAL_NAME>')
  .argument('<CONNECTION_ID>')
  .option(...ENV)
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/ref.js')).refBindCommand));
ref
  .command('unbind')
  .description("Remove a reference's binding in an environment")
  .argument('<LOGICAL_NAME>')
  .option(...ENV)
  .action(lazy(async () => (await import('./commands/ref.js')).refUnbindCommand));
ref
  .command('list')
  .description('List references with their bound connection and the flows that use them')
  .option(...ENV)
  .option('--connector <ID>', 'only this connector')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/ref.js')).refListCommand));
ref
  .command('usage')
  .description('List the flows that use a reference')
  .argument('<LOGICAL_NAME>')
  .option(...ENV)
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/ref.js')).refUsageCommand));
ref
  .command('delete')
  .description('Delete a reference (refused while flows use it)')
  .argument('<LOGICAL_NAME>')
  .option(...ENV)
  .action(lazy(async () => (await import('./commands/ref.js')).refDeleteCommand));

// Environments
const env = program.command('env').description('Environments (default, dev, test, prod, …) and their variables');
env
  .command('create')
  .description('Create an environment')
  .argument('<NAME>')
  .option('--display-name <TEXT>', 'display name')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/env.js')).envCreateCommand));
env
  .command('list')
  .description('List environments')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/env.js')).envListCommand));
const envRole = env.command('role').description('Environment roles: admin, maker, user (admins manage them)');
envRole
  .command('grant')
  .description('Give a user a role in an environment (replaces the role they had)')
  .argument('<ENV>')
  .argument('<EMAIL>')
  .argument('<ROLE>', 'admin, maker or user')
  .action(lazy(async () => (await import('./commands/env-role/grant.js')).envRoleGrantCommand));
envRole
  .command('revoke')
  .description("Remove a user's role in an environment (default environment: back to maker; others: no access)")
  .argument('<ENV>')
  .argument('<EMAIL>')
  .action(lazy(async () => (await import('./commands/env-role/revoke.js')).envRoleRevokeCommand));
envRole
  .command('list')
  .description('List roles in an environment, or in every environment you administer')
  .argument('[ENV]')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/env-role/list.js')).envRoleListCommand));
const envVar = env.command('var').description('Environment variables, readable in expressions');
envVar
  .command('define')
  .description('Define an environment variable')
  .argument('<SCHEMA_NAME>')
  .requiredOption('--type <TYPE>', 'text, number, boolean, json or secret')
  .option('--display-name <TEXT>', 'display name')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/env.js')).envVarDefineCommand));
envVar
  .command('set')
  .description("Set a variable's value in an environment (secrets: --from-env)")
  .argument('<SCHEMA_NAME>')
  .argument('[VALUE]')
  .option(...ENV)
  .option('--from-env <NAME>', 'read the value from this environment variable')
  .action(lazy(async () => (await import('./commands/env.js')).envVarSetCommand));

// Flows
const flow = program.command('flow').description('Flows in the store');
flow
  .command('save')
  .description('Validate and save a flow file as a new version; prints the flow id')
  .argument('<FLOW_FILE>')
  .option(...ENV)
  .option('--id <ID>', 'save as a new version of this flow')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/flow.js')).flowSaveCommand));
flow
  .command('list')
  .description('List flows you own or that are shared with you')
  .option(...ENV)
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/flow.js')).flowListCommand));
flow
  .command('export')
  .description('Print (or write) a stored flow as a flow file')
  .argument('<ID>')
  .option('--out <FILE>', 'write to this file')
  .option('--version <N>', 'an earlier version', wholeNumber('--version', 1))
  .action(lazy(async () => (await import('./commands/flow.js')).flowExportCommand));
flow
  .command('enable')
  .description('Enable a flow')
  .argument('<ID>')
  .action(lazy(async () => async (id: string) => (await import('./commands/flow.js')).flowEnableCommand(id, true)));
flow
  .command('disable')
  .description('Disable a flow')
  .argument('<ID>')
  .action(lazy(async () => async (id: string) => (await import('./commands/flow.js')).flowEnableCommand(id, false)));
flow
  .command('share')
  .description('Share a flow with a co-owner (edit) or a run-only user')
  .argument('<ID>')
  .argument('<EMAIL>')
  .requiredOption('--role <ROLE>', 'co-owner or run-only')
  .action(lazy(async () => (await import('./commands/flow.js')).flowShareCommand));
flow
  .command('embed')
  .description('Embed your own connection for a reference, so others run the flow with it')
  .argument('<ID>')
  .argument('<LOGICAL_NAME>')
  .argument('<CONNECTION_ID>')
  .action(lazy(async () => (await import('./commands/flow.js')).flowEmbedCommand));

// Solutions
const policy = program
  .command('policy')
  .description('Data-loss-prevention policies: connector groups, blocked desktop actions, endpoint rules');
policy
  .command('apply')
  .description('Create or replace a policy from a file; lists the flows it suspends or lifts')
  .argument('<FILE>', 'a policy file (JSON, see docs/security.md)')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/policy/apply.js')).policyApplyCommand));
policy
  .command('list')
  .description('List the policies')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/policy/list.js')).policyListCommand));
policy
  .command('show')
  .description('Show a policy')
  .argument('<NAME>')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/policy/show.js')).policyShowCommand));
policy
  .command('delete')
  .description('Delete a policy; lists the flows it lifts')
  .argument('<NAME>')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/policy/delete.js')).policyDeleteCommand));
policy
  .command('check')
  .description("List what a flow file would violate under an environment's policies (exit code 1 when anything)")
  .argument('<FLOW_FILE>', 'a *.flow.json file')
  .option(...ENV)
  .option('--json', 'print {violations} as JSON')
  .action(lazy(async () => (await import('./commands/policy/check.js')).policyCheckCommand));

const robin = program
  .command('robin')
  .description("Power Automate for desktop's Robin text in and out (see docs/robin.md)");
robin
  .command('import')
  .description('Read Robin (a clipboard copy or a stored definition) into a flow file')
  .argument('<FILE>', 'a text file holding Robin')
  .option('--out <FLOW_FILE>', 'write the flow here (default: print it)')
  .option('--name <NAME>', "the flow's name (default: the file's name)")
  .option('--json', 'print {flow, unsupported, connectionReferences} as JSON')
  .action(lazy(async () => (await import('./commands/robin/import.js')).robinImportCommand));
robin
  .command('export')
  .description('Write a flow file as Robin that Power Automate for desktop can paste')
  .argument('<FLOW_FILE>', 'a *.flow.json file')
  .option('--out <FILE>', 'write the Robin here (default: print it)')
  .option('--json', 'print {text, notExported} as JSON')
  .action(lazy(async () => (await import('./commands/robin/export.js')).robinExportCommand));

const solution = program
  .command('solution')
  .description('Solutions: move flows, references, variables and connectors between environments');
solution
  .command('create')
  .description('Create a solution from flows')
  .argument('<NAME>')
  .requiredOption('--flow <ID>', 'a flow id; repeatable', collectList, [])
  .option(...ENV)
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/solution.js')).solutionCreateCommand));
solution
  .command('export')
  .description('Export a solution to a folder (and a zip)')
  .argument('<NAME>')
  .requiredOption('--out <DIR>', 'the folder to write')
  .option('--zip', 'also write DIR.zip')
  .option(...ENV)
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/solution.js')).solutionExportCommand));
solution
  .command('create-settings')
  .description('Write the deployment settings template (Power Platform format) for an exported solution')
  .argument('<DIR>', 'an exported solution folder or zip')
  .requiredOption('--out <FILE>', 'the settings file to write')
  .action(lazy(async () => (await import('./commands/solution.js')).solutionCreateSettingsCommand));
solution
  .command('import')
  .description(
    'Import a solution into an environment, binding references and setting variables from a deployment settings file',
  )
  .argument('<DIR>', 'an exported solution folder or zip')
  .requiredOption('--env <E>', 'target environment')
  .option('--settings <FILE>', 'deployment settings file')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/solution.js')).solutionImportCommand));

// Runs
const runs = program.command('runs').description('Recorded runs');
runs
  .command('list')
  .description('List recent runs')
  .option('--env <E>', 'only this environment')
  .option('--flow <ID>', 'only this flow')
  .option('--limit <N>', 'how many (1 to 1000)', wholeNumber('--limit', 1, 1000), 20)
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/runs.js')).runsListCommand));
runs
  .command('show')
  .description('Show a run and its (redacted) steps')
  .argument('<RUN_ID>')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/runs.js')).runsShowCommand));

// Secrets
program
  .command('secrets')
  .description('The master key that seals every secret')
  .command('rotate-key')
  .description('Re-wrap every secret under a new master key, with no moment where data is unreadable')
  .option(
    '--new-key-env <NAME>',
    'take the new key from this environment variable (default: generate one into the key file)',
  )
  .option('--drop-old', 'remove old keys from the key file once everything is re-wrapped')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/secrets.js')).secretsRotateCommand));

// Users and API tokens
const user = program.command('user').description('Local accounts (owner accounts manage them)');
user
  .command('create')
  .description('Create an account; prints its id')
  .argument('<EMAIL>')
  .option('--role <ROLE>', 'owner or member', 'member')
  .option('--password-env <NAME>', 'read the password from this environment variable (never from argv)')
  .option('--display-name <TEXT>', 'display name')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/user.js')).userCreateCommand));
user
  .command('list')
  .description('List accounts')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/user.js')).userListCommand));
const token = program.command('token').description('API tokens for the HTTP API and for PATCHBAY_TOKEN');
token
  .command('create')
  .description('Create an API token for yourself; prints it once')
  .argument('<NAME>')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/user.js')).tokenCreateCommand));
token
  .command('list')
  .description('List your API tokens (never their values)')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/user.js')).tokenListCommand));
token
  .command('revoke')
  .description('Revoke an API token')
  .argument('<TOKEN_ID>')
  .action(lazy(async () => (await import('./commands/user.js')).tokenRevokeCommand));

// The audit log
const audit = program.command('audit').description('The audit log of security events (owner and environment admins)');
audit
  .command('list')
  .description('List audit entries, newest first')
  .option('--env <E>', 'only this environment (default: every environment you administer)')
  .option('--since <ISO>', 'only entries at or after this ISO 8601 time')
  .option('--actor <EMAIL>', 'only entries of this user')
  .option('--action <ACTION>', 'only this action (signin, connection.share, …)')
  .option('--limit <N>', 'at most this many (default 100, at most 1000)', wholeNumber('--limit', 1, 1000))
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/audit/list.js')).auditListCommand));

// Machines
const machine = program
  .command('machine')
  .description('Machines: computers that run flows for this server (patchbay runner on them)');
machine
  .command('register')
  .description('Register a machine; prints its token once')
  .argument('<NAME>')
  .option('--group <G>', 'the machine group it takes runs for', 'default')
  .option(...ENV)
  .option('--json', 'print {machine, token} as JSON')
  .action(lazy(async () => (await import('./commands/machine/register.js')).machineRegisterCommand));
machine
  .command('list')
  .description('List machines: online or offline, group, last seen')
  .option('--env <E>', 'only the machines of this environment')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/machine/list.js')).machineListCommand));
machine
  .command('revoke')
  .description('Revoke a machine: its token stops working and the run it has fails')
  .argument('<NAME>')
  .option('--json', 'print JSON')
  .action(lazy(async () => (await import('./commands/machine/revoke.js')).machineRevokeCommand));
program
  .command('runner')
  .description('Run flows for a Patchbay server on this computer, as a registered machine')
  .requiredOption('--server <URL>', 'the server, such as https://patchbay.example.com')
  .requiredOption('--token-env <VAR>', 'the environment variable that holds the machine token')
  .action(lazy(async () => (await import('./commands/runner.js')).runnerCommand));

// Server and workers
program
  .command('serve')
  .description('Run the API and the designer (SQLite and an in-process queue by default)')
  .option('--port <PORT>', 'port', wholeNumber('--port', 0, 65535), 5170)
  .option('--host <HOST>', 'address to listen on', '127.0.0.1')
  .option('--concurrency <N>', 'runs at once with the in-process queue', wholeNumber('--concurrency', 1))
  .option('--worker', 'with PATCHBAY_REDIS_URL: also take runs in this process')
  .option('--log <LEVEL>', 'log level: debug, info, warn (default), error or silent')
  .action(lazy(async () => (await import('./commands/serve.js')).serveCommand));
program
  .command('worker')
  .description('Take runs from the BullMQ queue (PATCHBAY_REDIS_URL); start as many as you need, on any machine')
  .option('--concurrency <N>', 'runs at once', wholeNumber('--concurrency', 1), 4)
  .action(lazy(async () => (await import('./commands/serve.js')).workerCommand));

program.parseAsync(process.argv).catch(fail);
