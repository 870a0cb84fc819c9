/**
 * One keep-alive undici `Pool` per origin, shared by every invocation in the
 * process. Pools are created on first use and reused; `closeConnectorPools()`
 * closes them all (server shutdown, end of a CLI command, tests).
 */
import type { Pool } from 'undici';

const pools = new Map<string, Pool>();
// undici loads with the first call, so commands that never call an API start fast.
let PoolClass: typeof Pool | undefined;

/** Loads undici once; every call after the first resolves at once. */
export async function loadPools(): Promise<void> {
  PoolClass ??= (await import('undici')).Pool;
}

/** The pool for an origin such as `https://api.example.com:8443` (after `loadPools()`). */
export function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    if (!PoolClass) throw new Error('loadPools() must run before poolFor()');
    pool = new PoolClass(origin, {
      connections: 128,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      pipelining: 1,
    });
    pools.set(origin, pool);
  }
  return pool;
}

/** Closes every pool the invoker opened; later invocations open new ones. */
export async function closeConnectorPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((p) => p.close()));
}
