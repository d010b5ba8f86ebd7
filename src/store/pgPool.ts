import pg from 'pg';
import { Unavailable } from '../platform/errors.js';
import type { DbTimeouts } from '../platform/config.js';

/** What Kysely's PostgresDialect uses of a pool and its clients. */
export interface DialectPool {
  connect(): Promise<DialectClient>;
  end(): Promise<void>;
}
interface DialectClient {
  query(sql: string, parameters: unknown[]): Promise<pg.QueryResult>;
  release(): void;
}

export const DEFAULT_TIMEOUTS: DbTimeouts = {
  connectMs: 5000,
  statementMs: 15_000,
  acquireMs: 5000,
  applicationName: 'keyward',
};

// Lost or unusable connection (SQLSTATE class 08, admin shutdown/crash 57P0x), a cancelled or
// timed-out statement (57014), and the driver's own messages for the same faults.
const UNAVAILABLE_CODES = /^(08|57P0|57014|53300|ECONN|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)/;
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|not queryable|Connection ended/i;

/** True when the error means "the database cannot answer now", not "the query is wrong". */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof Unavailable) return true;
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return (
    (typeof e?.code === 'string' && UNAVAILABLE_CODES.test(e.code)) ||
    (typeof e?.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message))
  );
}

function unavailable(error: unknown): unknown {
  return isUnavailable(error) ? Object.assign(new Unavailable(), { cause: error }) : error;
}

/** Options of every PostgreSQL connection of a node: timeouts, keep-alive, a recognisable name. */
export function clientOptions(url: string, t: DbTimeouts, schema?: string, suffix = ''): pg.ClientConfig {
  return {
    connectionString: url,
    options: schema ? `-c search_path=${schema}` : undefined,
    application_name: t.applicationName + suffix,
    connectionTimeoutMillis: t.connectMs,
    statement_timeout: t.statementMs,
    // statement_timeout is enforced by the server: a silent network needs a client-side bound too.
    query_timeout: t.statementMs + 2000,
    idle_in_transaction_session_timeout: t.statementMs * 2,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * A pg.Pool that survives faults: a connection that dies while idle is dropped (without an
 * `error` listener the pool's event would kill the process), one that dies while in use is
 * destroyed on release, and every fault reaches the caller as `Unavailable` (503).
 */
export function resilientPool(pool: pg.Pool, acquireMs: number): DialectPool {
  pool.on('error', () => {
    // An idle connection was lost; the pool already removed it and opens a new one on demand.
  });
  // pg-pool listens to a client only while it is idle: an error in the same network read that
  // completed a connect or a query (before the caller's listener) would be unhandled. A dead
  // client is not queryable any more, so its next use fails (503) and release destroys it.
  pool.on('connect', (client) => client.on('error', () => {}));
  return {
    async connect() {
      const client = await acquire(pool, acquireMs);
      let broken: unknown;
      // While checked out, pg-pool listens no more: a connection lost between two queries
      // (inside a transaction) would otherwise be an unhandled `error` event.
      const onError = (error: unknown) => void (broken ??= error);
      client.on('error', onError);
      return {
        async query(sql, parameters) {
          if (broken) throw unavailable(broken);
          try {
            return await client.query(sql, parameters);
          } catch (error) {
            if (isUnavailable(error) && (error as { code?: string }).code !== '57014') broken ??= error;
            throw unavailable(error);
          }
        },
        release() {
          client.removeListener('error', onError);
          // A broken client is destroyed, not returned to the pool.
          client.release(broken ? (broken as Error) : undefined);
        },
      };
    },
    end: () => pool.end(),
  };
}

function acquire(pool: pg.Pool, acquireMs: number): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new Unavailable('The database is busy or unreachable; retry shortly.'));
    }, acquireMs);
    pool.connect().then(
      (client) => {
        clearTimeout(timer);
        if (timedOut) client.release();
        else resolve(client);
      },
      (error) => {
        clearTimeout(timer);
        if (!timedOut) reject(unavailable(error));
      },
    );
  });
}
