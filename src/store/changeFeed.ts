import pg from 'pg';
import type { Store } from './db.js';
import { changeFeedProbe } from '../platform/metrics.js';

/**
 * Cache invalidation across nodes. `publish` tells this process at once and every other node
 * through PostgreSQL NOTIFY; listeners get (topic, key). After a lost LISTEN connection every
 * listener gets ('*', '*'): notifications may have been missed, so drop all cached state.
 */
export type ChangeListener = (topic: string, key: string) => void;

export interface ChangeFeed {
  publish(topic: string, key: string): Promise<void>;
  subscribe(listener: ChangeListener): void;
  close(): Promise<void>;
}

const CHANNEL = 'keyward_changes';

export async function createChangeFeed(
  store: Store,
  connectionString?: string,
  schema?: string,
): Promise<ChangeFeed> {
  const listeners: ChangeListener[] = [];
  const emit = (topic: string, key: string) => {
    for (const listener of listeners) listener(topic, key);
  };
  if (store.dialect !== 'postgres' || !store.pgPool || !connectionString) {
    return {
      async publish(topic, key) {
        emit(topic, key);
      },
      subscribe: (l) => void listeners.push(l),
      async close() {},
    };
  }
  const pool = store.pgPool;
  // Nodes of one deployment share a channel; a schema per deployment keeps test runs apart.
  const channel = schema ? `${CHANNEL}_${schema}` : CHANNEL;
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 100;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client({ connectionString });
    next.on('notification', (msg) => {
      if (msg.channel !== channel || !msg.payload) return;
      const cut = msg.payload.indexOf(':');
      emit(msg.payload.slice(0, cut), msg.payload.slice(cut + 1));
    });
    next.on('error', () => reconnect(next));
    next.on('end', () => reconnect(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
      retryMs = 100;
      changeFeedProbe.listening();
    } catch {
      reconnect(next);
    }
  };
  const reconnect = (failed: pg.Client) => {
    if (closed || (client && client !== failed)) return;
    client = undefined;
    changeFeedProbe.lost();
    failed.removeAllListeners();
    failed.end().catch(() => {});
    emit('*', '*');
    setTimeout(() => void connect(), retryMs).unref();
    retryMs = Math.min(retryMs * 2, 5000);
  };

  // Listen before the first request is served, so no change is missed.
  await connect();
  return {
    async publish(topic, key) {
      emit(topic, key);
      await pool.query('select pg_notify($1, $2)', [channel, `${topic}:${key}`]);
    },
    subscribe: (l) => void listeners.push(l),
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
