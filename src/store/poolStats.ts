import type { Store } from './db.js';

/**
 * What the metrics read from the store: the PostgreSQL pool's counters (none on SQLite) and whether
 * this node runs a change feed (PostgreSQL only). The dialect branch stays here, in the store.
 */
export function poolStats(store: Store): {
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  changeFeed: boolean;
} {
  return { pool: store.pgPool, changeFeed: store.dialect === 'postgres' };
}
