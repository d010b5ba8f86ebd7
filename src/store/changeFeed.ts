import pg from 'pg';
import type { Store } from './db.js';
import { changeFeedProbe } from '../platform/metrics.js';
import { clientOptions } from './pgPool.js';

/**
 * Cache invalidation across nodes. `publish` tells this process at once and every other node
 * through PostgreSQL NOTIFY; listeners get (topic, key). Listeners also get ('*', '*'), meaning
 * "reload everything from the database": once LISTEN is re-established after a lost connection
 * (notifications in the gap are lost), and every `reconcileMs` as a bound if one ever is.
 */
export type ChangeListener = (topic: string, key: string) => void;

export interface ChangeFeed {
  publish(topic: string, key: string): Promise<void>;
  subscribe(listener: ChangeListener): void;
  /** Times LISTEN was re-established after a lost connection (for metrics and tests). */
  readonly reconnects?: number;
  close(): Promise<void>;
}

const CHANNEL = 'keyward_changes';

export interface ChangeFeedOptions {
  /** How often every listener reloads from the database regardless of notifications, ms. */
  reconcileMs?: number;
}

export async function createChangeFeed(
  store: Store,
  connectionString?: string,
  schema?: string,
  options: ChangeFeedOptions = {},
): Promise<ChangeFeed> {
  const listeners: ChangeListener[] = [];
  const emit = (topic: string, key: string) => {
    for (const listener of listeners) listener(topic, key);
  };
  // Another process (a second node, a CLI command on the same SQLite file) may write too.
  const reconcile = options.reconcileMs
    ? setInterval(() => emit('*', '*'), options.reconcileMs).unref()
    : undefined;
  if (store.dialect !== 'postgres' || !store.pgPool || !connectionString) {
    return {
      async publish(topic, key) {
        emit(topic, key);
      },
      subscribe: (l) => void listeners.push(l),
      reconnects: 0,
      async close() {
        clearInterval(reconcile);
      },
    };
  }
  const pool = store.pgPool;
  // Nodes of one deployment share a channel; a schema per deployment keeps test runs apart.
  const channel = schema ? `${CHANNEL}_${schema}` : CHANNEL;
  let client: pg.Client | undefined;
  let closed = false;
  let lost = false;
  let retryMs = 100;
  let reconnects = 0;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client(clientOptions(connectionString, store.timeouts, schema, '-feed'));
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
      if (closed) return void next.end().catch(() => {});
      client = next;
      retryMs = 100;
      changeFeedProbe.listening();
      if (lost) {
        // Only now that no notification can be missed any more: reloading earlier would leave
        // the changes made between the reload and LISTEN unseen (issue 14, finding 2).
        lost = false;
        reconnects++;
        emit('*', '*');
      }
    } catch {
      reconnect(next);
    }
  };
  const handled = new WeakSet<pg.Client>();
  const reconnect = (failed: pg.Client) => {
    if (closed || handled.has(failed) || (client && client !== failed)) return;
    handled.add(failed);
    client = undefined;
    changeFeedProbe.lost();
    lost = true;
    failed.removeAllListeners();
    failed.on('error', () => {});
    failed.end().catch(() => {});
    setTimeout(() => void connect(), retryMs).unref();
    retryMs = Math.min(retryMs * 2, 5000);
  };

  // Listen before the first request is served, so no change is missed.
  await connect();
  return {
    async publish(topic, key) {
      emit(topic, key);
      // The change is committed; a lost NOTIFY is caught up by the other nodes' reconcile.
      await pool.query('select pg_notify($1, $2)', [channel, `${topic}:${key}`]).catch(() => {});
    },
    subscribe: (l) => void listeners.push(l),
    get reconnects() {
      return reconnects;
    },
    async close() {
      closed = true;
      clearInterval(reconcile);
      await client?.end().catch(() => {});
    },
  };
}
