import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../index.js';
import { type TestDatabase, rejection, testDialects } from '../testDialects.js';

const dialects = await testDialects();

describe.each(dialects)('run records on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);

  run('seals sensitive inputs for whichever process runs the run, and drops them when it ends', async () => {
    const secret = `sensitive-${randomBytes(10).toString('hex')}`;
    const r = await s.runs.create({
      environment: 'default',
      adHocName: 'Sealed',
      inputs: { Token: '***', Plain: 'visible' },
      sensitiveInputs: { Token: secret },
    });
    expect(r.inputs).toEqual({ Token: '***', Plain: 'visible' });
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(JSON.stringify(await s.runs.list({ limit: 1000 }))).not.toContain(secret);
    expect(await db.rawContent()).not.toContain(secret);
    // Another process on the same database opens them.
    const other = await db.open();
    try {
      expect(await other.runs.openSensitiveInputs(r.id)).toEqual({ Token: secret });
    } finally {
      await other.close();
    }
    // A run without sensitive inputs has none; an unknown run is named.
    const plain = await s.runs.create({ environment: 'default', adHocName: 'Plain' });
    expect(await s.runs.openSensitiveInputs(plain.id)).toEqual({});
    expect((await rejection(s.runs.openSensitiveInputs('run_missing'))).code).toBe('store.not_found');
    // The worker that starts the run gets them opened; the run it is handed does not hold them.
    const started = await s.runs.start(r.id, { workerId: 'w1' });
    expect(started.sensitiveInputs).toEqual({ Token: secret });
    expect(JSON.stringify(started.run)).not.toContain(secret);
    // Finished, the sealed copy is gone.
    await s.runs.finish(r.id, { status: 'succeeded' });
    expect(await s.runs.openSensitiveInputs(r.id)).toEqual({});
    // Interrupted by a dead worker, too.
    const lost = await s.runs.create({
      environment: 'default',
      adHocName: 'Lost',
      inputs: { Token: '***' },
      sensitiveInputs: { Token: secret },
    });
    await s.runs.start(lost.id, { workerId: 'w-dead' });
    expect(await s.runs.markInterrupted('w-dead')).toBe(1);
    expect(await s.runs.openSensitiveInputs(lost.id)).toEqual({});
  });

  run('keeps sealed run inputs readable across a master key rotation that drops the old key', async () => {
    const secret = `rotated-${randomBytes(10).toString('hex')}`;
    const r = await s.runs.create({
      environment: 'default',
      adHocName: 'Rotated',
      inputs: { Token: '***' },
      sensitiveInputs: { Token: secret },
    });
    const before = s.masterKeyId;
    const rotation = await s.rotateMasterKey(undefined, { dropOldKeys: true });
    expect(rotation.previousKeyIds).toContain(before);
    expect(rotation.droppedOldKeys).toBe(true);
    expect(await s.runs.openSensitiveInputs(r.id)).toEqual({ Token: secret });
    await s.runs.finish(r.id, { status: 'cancelled' });
  });

  run('finds runs still queued after a while, oldest first', async () => {
    const a = await s.runs.create({ environment: 'default', adHocName: 'Waiting A' });
    await new Promise((r) => setTimeout(r, 5));
    const b = await s.runs.create({ environment: 'default', adHocName: 'Waiting B' });
    const started = await s.runs.create({ environment: 'default', adHocName: 'Started' });
    await s.runs.start(started.id);
    await new Promise((r) => setTimeout(r, 20));
    const waiting = (await s.runs.findQueuedBefore(10)).map((r) => r.id);
    expect(waiting.indexOf(a.id)).toBeGreaterThanOrEqual(0);
    expect(waiting.indexOf(a.id)).toBeLessThan(waiting.indexOf(b.id));
    expect(waiting).not.toContain(started.id);
    expect((await s.runs.findQueuedBefore(60_000)).map((r) => r.id)).not.toContain(a.id);
  });

  run('keeps fractional step durations as the engine reports them', async () => {
    const r = await s.runs.create({ environment: 'default', adHocName: 'Timed' });
    const at = new Date().toISOString();
    await s.runs.recordSteps(r.id, [
      { seq: 1, stepPath: '/steps/0', action: 'Wait', status: 'succeeded', startedAt: at, durationMs: 12.375 },
      { seq: 2, stepPath: '/steps/1', action: 'Wait', status: 'succeeded', startedAt: at, durationMs: 0.0625 },
    ]);
    expect((await s.runs.steps(r.id)).map((x) => x.durationMs)).toEqual([12.375, 0.0625]);
  });
});
