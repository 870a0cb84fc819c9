// `patchbay env var set`: a value typed on the command line is read as the variable's type, and secrets never come from argv.
import { describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import { reasonLines, writeTemp } from './services.js';

describe('patchbay env var set', () => {
  const home = tempHome();
  const pb = (args: string[], env?: Record<string, string>) => patchbay(args, { home, env });
  const ok = async (args: string[], env?: Record<string, string>) => {
    const r = await pb(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  it('keeps text that looks like a number or JSON as text, and reads numbers, booleans and JSON by type', async () => {
    for (const [name, type] of [
      ['pb_Code', 'text'],
      ['pb_Pin', 'secret'],
      ['pb_Limit', 'number'],
      ['pb_On', 'boolean'],
      ['pb_Cfg', 'json'],
    ]) {
      await ok(['env', 'var', 'define', name, '--type', type]);
    }
    await ok(['env', 'var', 'set', 'pb_Code', '123']);
    await ok(['env', 'var', 'set', 'pb_Pin', '--from-env', 'PIN'], { PIN: '4711' });
    await ok(['env', 'var', 'set', 'pb_Limit', '12.5']);
    await ok(['env', 'var', 'set', 'pb_On', 'TRUE']);
    await ok(['env', 'var', 'set', 'pb_Cfg', '{"Region": "eu"}']);
    const flow = writeTemp('env.flow.json', {
      schema: 'patchbay/flow@1',
      name: 'Reads variables',
      outputs: {
        Code: { type: 'any' },
        PinLength: { type: 'any' },
        Limit: { type: 'any' },
        On: { type: 'any' },
        Region: { type: 'any' },
      },
      steps: [
        { action: 'Variables.Set', params: { name: 'Code', value: '%pb_Code%' } },
        { action: 'Variables.Set', params: { name: 'PinLength', value: '%pb_Pin.Length%' } },
        { action: 'Variables.Set', params: { name: 'Limit', value: '%pb_Limit * 2%' } },
        { action: 'Variables.Set', params: { name: 'On', value: '%pb_On%' } },
        { action: 'Variables.Set', params: { name: 'Region', value: '%pb_Cfg.Region%' } },
      ],
    });
    const run = JSON.parse(await ok(['run', flow, '--json'])) as { outputs: Record<string, unknown> };
    expect(run.outputs).toEqual({ Code: '123', PinLength: 4, Limit: 25, On: true, Region: 'eu' });
  });

  it('refuses a secret value on the command line, and bad values by type, without repeating them', async () => {
    await ok(['env', 'var', 'define', 'pb_Secret', '--type', 'secret']);
    await ok(['env', 'var', 'define', 'pb_Count', '--type', 'number']);
    await ok(['env', 'var', 'define', 'pb_Json', '--type', 'json']);
    const cases: [string[], RegExp][] = [
      [['env', 'var', 'set', 'pb_Secret', 'hunter2-argv'], /secret variable.*--from-env/],
      [['env', 'var', 'set', 'pb_Count', 'twelve-xyz'], /pb_Count.*number/],
      [['env', 'var', 'set', 'pb_Json', '{not-json-xyz'], /pb_Json.*not valid JSON/],
      [['env', 'var', 'set', 'pb_Missing', '1'], /pb_Missing.*not defined.*env var define/],
    ];
    for (const [args, reason] of cases) {
      const r = await pb(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(reason)]);
      expect(r.stderr + r.stdout).not.toMatch(/hunter2|twelve-xyz|not-json-xyz/);
    }
  });
});
