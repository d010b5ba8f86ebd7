/**
 * Prometheus metrics (prom-client), one registry per app: HTTP traffic per route pattern, tokens
 * issued per grant type, login outcomes, PostgreSQL pool use, change-feed health, revocation-set
 * size and the process's default metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The change feed reports here (two calls in store/changeFeed.ts). Process-wide: several feeds in
 * one process (tests running two nodes) share it.
 */
export const changeFeedProbe = {
  downSince: undefined as number | undefined,
  reconnects: 0,
  /** LISTEN is (re-)established. */
  listening(): void {
    if (this.downSince !== undefined) this.reconnects++;
    this.downSince = undefined;
  },
  /** The LISTEN connection was lost. */
  lost(now = Date.now()): void {
    this.downSince ??= now;
  },
};

export interface MetricsSources {
  /** pg.Pool counters; absent on SQLite. */
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  revocationSetSize(): number;
  /** Whether this node has a change feed at all (PostgreSQL). */
  changeFeed: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
  readonly tokens: Counter<'grant_type'>;
  readonly logins: Counter<'outcome'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'keyward_' });
    this.requests = new Counter({
      name: 'keyward_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'keyward_http_request_duration_seconds',
      help: 'HTTP request latency, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.tokens = new Counter({
      name: 'keyward_tokens_issued_total',
      help: 'Token responses of /oauth/token, by grant type.',
      labelNames: ['grant_type'],
      registers,
    });
    this.logins = new Counter({
      name: 'keyward_logins_total',
      help: 'Password logins: success, failure (wrong or throttled) or rejected (bad form).',
      labelNames: ['outcome'],
      registers,
    });
    const pool = sources.pool;
    new Gauge({
      name: 'keyward_db_pool_connections',
      help: 'PostgreSQL pool connections in use and idle, and requests waiting for one.',
      labelNames: ['state'],
      registers,
      collect() {
        if (!pool) return;
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    new Gauge({
      name: 'keyward_revocation_set_size',
      help: 'Revoked token ids and client not-befores held in memory.',
      registers,
      collect() {
        this.set(sources.revocationSetSize());
      },
    });
    if (sources.changeFeed) {
      new Gauge({
        name: 'keyward_change_feed_lag_seconds',
        help: 'Seconds the change feed has been without LISTEN (0 while up): the staleness bound now.',
        registers,
        collect() {
          const since = changeFeedProbe.downSince;
          this.set(since === undefined ? 0 : (Date.now() - since) / 1000);
        },
      });
      new Counter({
        name: 'keyward_change_feed_reconnects_total',
        help: 'Times the change feed re-established LISTEN after losing it.',
        registers,
        collect() {
          this.reset();
          this.inc(changeFeedProbe.reconnects);
        },
      });
    }
  }
}
