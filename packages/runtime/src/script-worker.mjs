// The JavaScript sandbox, run in a worker thread so that a busy script never
// blocks the host's event loop and a cancelled run can end it at once.
// Plain JavaScript because worker threads load files as Node does, without
// TypeScript; `script.ts` is the typed side and documents the messages.
//
// The user's code runs in QuickJS (quickjs-emscripten): no Node APIs, no
// require, no process, no timers, no network. Values cross the boundary as
// JSON with two tags ({"$pbDate": iso} and {"$pbBinary": [bytes]}).
import { parentPort } from 'node:worker_threads';
import { getQuickJS } from 'quickjs-emscripten';

const PREFIX = '(async function __patchbay_script() {';
const FILE = 'script.js';

const PRELUDE = `(function (log) {
  const show = (v) => {
    if (typeof v === 'string') return v;
    if (v instanceof Error) return String(v);
    try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch { return String(v); }
  };
  const make = (level) => (...args) => log(level, args.map(show).join(' '));
  globalThis.console = { log: make('log'), info: make('info'), warn: make('warn'), error: make('error'), debug: make('debug') };
  const decode = (json) => JSON.parse(json, (k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$pbDate') return new Date(v.$pbDate);
      if (keys.length === 1 && keys[0] === '$pbBinary') return new Uint8Array(v.$pbBinary);
    }
    return v;
  });
  const encode = (value) => {
    const seen = [];
    const json = JSON.stringify(value === undefined ? null : value, function (k, v) {
      const raw = this[k];
      if (raw instanceof Date) return { $pbDate: isNaN(raw.getTime()) ? null : raw.toISOString() };
      if (raw instanceof ArrayBuffer) return { $pbBinary: Array.from(new Uint8Array(raw)) };
      if (ArrayBuffer.isView(raw)) return { $pbBinary: Array.from(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)) };
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'function' || typeof v === 'symbol') return undefined;
      return v;
    });
    return json === undefined ? 'null' : json;
  };
  return { decode, encode };
})`;

function where(stack) {
  const m = /script\.js:(\d+)(?::(\d+))?/.exec(String(stack ?? ''));
  if (!m) return {};
  const line = Number(m[1]);
  let column = m[2] === undefined ? undefined : Number(m[2]);
  if (line === 1 && column !== undefined) column = Math.max(1, column - PREFIX.length);
  return { line, column };
}

function describe(dumped) {
  if (dumped && typeof dumped === 'object') {
    const name = typeof dumped.name === 'string' ? dumped.name : 'Error';
    const message = typeof dumped.message === 'string' ? dumped.message : JSON.stringify(dumped);
    const at =
      dumped.lineNumber !== undefined && !dumped.stack?.includes(FILE)
        ? { line: dumped.lineNumber }
        : where(dumped.stack);
    return { name, message, ...at };
  }
  return { name: 'Error', message: typeof dumped === 'string' ? dumped : JSON.stringify(dumped) };
}

async function runOne(QuickJS, job) {
  const { code, inputsJson, timeoutMs, memoryBytes, maxOutputChars } = job;
  const post = (m) => parentPort.postMessage({ id: job.id, ...m });
  const runtime = QuickJS.newRuntime();
  runtime.setMemoryLimit(memoryBytes);
  runtime.setMaxStackSize(512 * 1024);
  const deadline = Date.now() + timeoutMs;
  let timedOut = false;
  runtime.setInterruptHandler(() => {
    if (Date.now() > deadline) timedOut = true;
    return timedOut;
  });
  const vm = runtime.newContext();
  let outputChars = 0;
  const fail = (kind, detail) => post({ type: 'error', kind, ...detail });
  try {
    const log = vm.newFunction('log', (levelH, textH) => {
      const level = vm.getString(levelH);
      let text = vm.getString(textH);
      if (outputChars >= maxOutputChars) return;
      if (outputChars + text.length > maxOutputChars)
        text = text.slice(0, maxOutputChars - outputChars) + ' [output truncated]';
      outputChars += text.length;
      post({ type: 'console', level, text });
    });
    const preludeFn = vm.unwrapResult(vm.evalCode(PRELUDE, 'prelude.js'));
    const helpers = vm.unwrapResult(vm.callFunction(preludeFn, vm.undefined, log));
    preludeFn.dispose();
    log.dispose();
    const decode = vm.getProp(helpers, 'decode');
    const encode = vm.getProp(helpers, 'encode');
    helpers.dispose();

    for (const [name, json] of Object.entries(inputsJson)) {
      const s = vm.newString(json);
      const value = vm.unwrapResult(vm.callFunction(decode, vm.undefined, s));
      s.dispose();
      vm.setProp(vm.global, name, value);
      value.dispose();
    }
    decode.dispose();

    const started = vm.evalCode(`${PREFIX}${code}\n})()`, FILE);
    if (started.error) {
      const d = vm.dump(started.error);
      started.error.dispose();
      return timedOut ? fail('timeout', {}) : fail('script', describe(d));
    }
    const promise = started.value;
    for (;;) {
      const jobs = runtime.executePendingJobs();
      if (jobs.error) {
        const d = vm.dump(jobs.error);
        jobs.error.dispose();
        return timedOut ? fail('timeout', {}) : fail('script', describe(d));
      }
      if (jobs.value === 0) break;
    }
    const state = vm.getPromiseState(promise);
    promise.dispose();
    if (state.type === 'pending') return fail('pending', {});
    if (state.type === 'rejected') {
      const d = vm.dump(state.error);
      state.error.dispose();
      return timedOut ? fail('timeout', {}) : fail('script', describe(d));
    }
    const encoded = vm.callFunction(encode, vm.undefined, state.value);
    state.value.dispose();
    encode.dispose();
    if (encoded.error) {
      const d = vm.dump(encoded.error);
      encoded.error.dispose();
      return timedOut ? fail('timeout', {}) : fail('result', describe(d));
    }
    const json = vm.getString(encoded.value);
    encoded.value.dispose();
    post({ type: 'result', json });
  } catch (e) {
    // QuickJS reports exhaustion of its own limits as exceptions from the calls above.
    const message = e instanceof Error ? e.message : String(e);
    if (timedOut) fail('timeout', {});
    else if (/out of memory/i.test(message)) fail('memory', {});
    else fail('internal', { message });
  } finally {
    try {
      vm.dispose();
      runtime.dispose();
    } catch {
      // A runtime that ran out of memory may not dispose cleanly; the worker ends anyway.
    }
  }
}

// The WebAssembly module loads once per worker; every script gets a fresh
// QuickJS runtime, so nothing one script leaves behind is seen by the next.
const quickJS = getQuickJS();
parentPort.on('message', (job) => {
  quickJS
    .then((QuickJS) => runOne(QuickJS, job))
    .catch((e) =>
      parentPort.postMessage({
        id: job.id,
        type: 'error',
        kind: 'internal',
        message: e instanceof Error ? e.message : String(e),
      }),
    );
});
