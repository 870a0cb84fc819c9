/**
 * One keep-alive undici `Pool` per origin, shared by every invocation in the
 * process. Pools are created on first use and reused; `closeConnectorPools()`
 * closes them all (server shutdown, end of a CLI command, tests).
 */
import { Pool } from 'undici';

const pools = new Map<string, Pool>();

/** The pool for an origin such as `https://api.example.com:8443`. */
export function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 128, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
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
