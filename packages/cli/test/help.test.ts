// Every command and subcommand answers --help; every command that prints data offers --json (DESIGN.md §3).
import { describe, expect, it } from 'vitest';
import { patchbay } from './cli.js';

/** The subcommand names listed under "Commands:" in a help text. */
function subcommands(help: string): string[] {
  const at = help.indexOf('\nCommands:\n');
  if (at < 0) return [];
  const names: string[] = [];
  for (const line of help.slice(at + '\nCommands:\n'.length).split('\n')) {
    const m = /^ {2}([a-z][\w-]*)/.exec(line);
    if (m && m[1] !== 'help') names.push(m[1]);
    else if (line.trim() === '' || !line.startsWith(' ')) break;
  }
  return names;
}

/**
 * Commands that print no data: they change something and say so in one line
 * on stderr (or, for `schema` and `flow export`, print a document that is
 * JSON already; `serve` and `worker` run until stopped).
 */
const NO_JSON = new Set([
  'schema',
  'runner',
  'connection share',
  'ref unbind',
  'ref delete',
  'env var set',
  'flow export',
  'flow enable',
  'flow disable',
  'flow share',
  'flow embed',
  'solution create-settings',
  'token revoke',
  'env role grant',
  'env role revoke',
  'serve',
  'worker',
]);

/** Commands scripts rely on (DESIGN.md §3 and issues 3 and 4). */
const EXPECTED = [
  'run',
  'validate',
  'serve',
  'worker',
  'connector import',
  'connector inspect',
  'connector list',
  'connector call',
  'connection create',
  'connection list',
  'connection test',
  'connection share',
  'connection delete',
  'ref create',
  'ref bind',
  'ref list',
  'ref usage',
  'env create',
  'env list',
  'env role grant',
  'env role revoke',
  'env role list',
  'flow save',
  'flow list',
  'flow export',
  'solution create',
  'solution export',
  'solution create-settings',
  'solution import',
  'policy apply',
  'policy list',
  'policy show',
  'policy delete',
  'policy check',
  'runs list',
  'runs show',
  'secrets rotate-key',
  'audit list',
  'robin import',
  'robin export',
  'machine register',
  'machine list',
  'machine revoke',
  'runner',
];

/** Runs `--help` for each path, a few at a time (the machine is shared). */
async function helpFor(paths: string[][]) {
  const out: Awaited<ReturnType<typeof patchbay>>[] = [];
  for (let i = 0; i < paths.length; i += 4)
    out.push(...(await Promise.all(paths.slice(i, i + 4).map((p) => patchbay([...p, '--help'])))));
  return out;
}

describe('patchbay --help', () => {
  it('answers --help with usage for every command and subcommand, and --json on every data command', async () => {
    const seen = new Map<string, string>();
    let level: string[][] = [[]];
    while (level.length) {
      const results = await helpFor(level);
      const next: string[][] = [];
      results.forEach((r, i) => {
        const path = level[i];
        expect(r.code, `${path.join(' ')} --help: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: patchbay${path.length ? ` ${path.join(' ')}` : ''} `));
        const subs = subcommands(r.stdout);
        if (subs.length === 0) seen.set(path.join(' '), r.stdout);
        for (const s of subs) next.push([...path, s]);
      });
      level = next;
    }

    expect([...seen.keys()]).toEqual(expect.arrayContaining(EXPECTED));
    expect(seen.size).toBeGreaterThan(EXPECTED.length);
    const withoutJson = [...seen]
      .filter(([name, help]) => !/--json\b/.test(help) && !NO_JSON.has(name))
      .map(([name]) => name);
    expect(withoutJson).toEqual([]);
    // One process per command, a few at a time: on a busy machine the walk takes a while.
  }, 180_000);

  it("documents the flags users' scripts rely on", async () => {
    const checks: [string[], RegExp[]][] = [
      [['run'], [/--env <E>/, /--input <NAME=VALUE>/, /--connection <REF=CONNECTION_ID>/, /--json/]],
      [
        ['connection', 'create'],
        [
          /--name <NAME>/,
          /--env <E>/,
          /--scheme <S>/,
          /--param <NAME=VALUE>/,
          /--secret-env <NAME=ENV_VAR>/,
          /--secrets-stdin/,
          /--base-url <URL>/,
        ],
      ],
      [
        ['connector', 'call'],
        [/--param <NAME=VALUE>/, /--base-url <URL>/, /--auth-file <FILE>/, /PATCHBAY_AUTH_/],
      ],
      [
        ['connector', 'import'],
        [/--env <E>/, /--id <ID>/],
      ],
      [
        ['ref', 'create'],
        [/--connector <ID>/, /--display-name <TEXT>/, /--env <E>/],
      ],
      [
        ['solution', 'create'],
        [/--flow <ID>/, /--env <E>/],
      ],
      [
        ['solution', 'export'],
        [/--out <DIR>/, /--zip/, /--env <E>/],
      ],
      [['solution', 'create-settings'], [/--out <FILE>/]],
      [
        ['solution', 'import'],
        [/--env <E>/, /--settings <FILE>/],
      ],
      [['serve'], [/--port/, /--host/]],
    ];
    const results = await helpFor(checks.map(([args]) => args));
    results.forEach((r, i) => {
      for (const flag of checks[i][1]) expect(r.stdout, checks[i][0].join(' ')).toMatch(flag);
    });
  });

  it('answers an unknown command with a non-zero exit and a hint', async () => {
    const r = await patchbay(['connection', 'craete']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'craete'/);
    expect(r.stderr).toMatch(/create/);
  });
});
