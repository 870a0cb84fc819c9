import { describe, expect, it } from 'vitest';
import { runJavaScript } from './script.js';

describe('JavaScript sandbox', () => {
  it('returns values of every kind, with inputs as globals and a top-level return', async () => {
    const when = new Date('2024-03-01T10:00:00.000Z');
    const out = await runJavaScript(
      'const d = new Date(When.getTime() + 1000); return { sum: A + B, items: List.map((x) => x * 2), d, bin: new Uint8Array([1, 2]), none: undefined, flag: !Flag };',
      {
        inputs: { A: 2, B: 3, List: [1, 2, 3], When: when, Flag: false },
      },
    );
    expect(out).toEqual({
      sum: 5,
      items: [2, 4, 6],
      d: new Date('2024-03-01T10:00:01.000Z'),
      bin: new Uint8Array([1, 2]),
      flag: true,
    });
  });

  it('returns null when the script returns nothing, and awaits async work', async () => {
    expect(await runJavaScript('let x = 1;')).toBeNull();
    expect(await runJavaScript('const v = await Promise.resolve(41); return v + 1;')).toBe(42);
  });

  it('captures console output in order', async () => {
    const lines: string[] = [];
    await runJavaScript('console.log("a", 1, {b: 2}); console.error("bad");', {
      onConsole: (level, text) => lines.push(`${level}:${text}`),
    });
    expect(lines).toEqual(['log:a 1 {"b":2}', 'error:bad']);
  });

  it('has no Node APIs', async () => {
    expect(await runJavaScript('return [typeof require, typeof process, typeof fetch, typeof setTimeout];')).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ]);
    await expect(runJavaScript('require("fs")')).rejects.toThrow(/ReferenceError at line 1.*require/);
  });

  it('names the line of a runtime error and of a syntax error', async () => {
    await expect(runJavaScript('let a = 1;\nlet b = null;\nreturn b.x;')).rejects.toThrow(
      /JavaScript TypeError at line 3.*cannot read property 'x' of null/,
    );
    await expect(runJavaScript('let a = 1;\nlet b = ;')).rejects.toThrow(/JavaScript SyntaxError at line 2/);
    await expect(runJavaScript('throw new Error("custom failure")')).rejects.toThrow(
      /line 1, column \d+: custom failure/,
    );
  });

  it('stops an endless loop at the time limit', async () => {
    await expect(runJavaScript('while (true) {}', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'action.failed',
      message: expect.stringMatching(/did not finish within 0.3 s/),
    });
  });

  it('stops a huge allocation at the memory limit', async () => {
    await expect(
      runJavaScript('const a = []; for (;;) a.push(new Uint8Array(1000000));', {
        memoryBytes: 8 * 1024 * 1024,
        timeoutMs: 20_000,
      }),
    ).rejects.toThrow(/more than 8 MB of memory/);
  });

  it('never raises a limit above the host limit', async () => {
    await expect(
      runJavaScript('while (true) {}', { timeoutMs: 60_000 }, { timeoutMs: 200, memoryBytes: 16 * 1024 * 1024 }),
    ).rejects.toThrow(/within 0.2 s/);
  });

  it('is cancelled through the abort signal while the script runs', async () => {
    const ac = new AbortController();
    const run = runJavaScript('while (true) {}', { signal: ac.signal, timeoutMs: 20_000 });
    setTimeout(() => ac.abort(), 200);
    await expect(run).rejects.toMatchObject({ code: 'run.cancelled' });
  });

  it('reports a promise that never settles and a return value with a cycle', async () => {
    await expect(runJavaScript('await new Promise(() => {});')).rejects.toThrow(/never settles/);
    await expect(runJavaScript('const o = {}; o.self = o; return o;')).rejects.toThrow(/return value cannot be used/);
  });

  it('gives every script a fresh global scope, also after a failure', async () => {
    await expect(runJavaScript('globalThis.leak = 1; throw new Error("first")')).rejects.toThrow(/first/);
    await runJavaScript('globalThis.leak = 2; return 1;');
    expect(await runJavaScript('return typeof leak;')).toBe('undefined');
    await expect(runJavaScript('while (true) {}', { timeoutMs: 100 })).rejects.toThrow(/within 0.1 s/);
    expect(await runJavaScript('return typeof leak;')).toBe('undefined');
  });

  it('runs scripts side by side', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((n) => runJavaScript('return N * 10;', { inputs: { N: n } })));
    expect(results).toEqual([10, 20, 30, 40]);
  });
});
