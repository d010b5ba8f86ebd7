/**
 * Operations settings (issue 14): refresh-token reuse grace, Redis-backed rate limits and metrics.
 * Kept beside config.ts so that file only spreads them in.
 */
import { ConfigError } from './config.js';

type Env = Record<string, string | undefined>;

export type MetricsMode = 'off' | 'open' | 'bearer';

export interface OpsConfig {
  /** A rotated refresh token presented again within this many seconds gets the same successor (0 = strict). */
  refreshReuseGraceSeconds: number;
  /** redis:// URL: rate limits are counted there, shared by every node. Unset: per process. */
  redisUrl?: string;
  /** Prefix of every Redis key (KEYWARD_REDIS_PREFIX, default `keyward:`). */
  redisPrefix: string;
  /** GET /metrics: off, open on its own port, or on the main port behind a bearer scope. */
  metrics: { mode: MetricsMode; port: number };
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} is invalid: expected an integer from ${min} to ${max}`,
    );
  }
  return Number(raw);
}

export function opsConfig(env: Env): OpsConfig {
  const redisUrl = env.KEYWARD_REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    throw new ConfigError('KEYWARD_REDIS_URL is invalid: expected redis://HOST:PORT[/DB] or rediss://…');
  }
  const mode = (env.KEYWARD_METRICS?.trim().toLowerCase() || 'off') as MetricsMode;
  if (!['off', 'open', 'bearer'].includes(mode)) {
    throw new ConfigError(
      `KEYWARD_METRICS=${JSON.stringify(env.KEYWARD_METRICS)} is invalid: expected off, open or bearer`,
    );
  }
  return {
    refreshReuseGraceSeconds: int(env, 'KEYWARD_REFRESH_REUSE_GRACE_SECONDS', 0, 0, 300),
    redisUrl,
    redisPrefix: env.KEYWARD_REDIS_PREFIX?.trim() || 'keyward:',
    metrics: { mode, port: int(env, 'KEYWARD_METRICS_PORT', 9464, 0, 65535) },
  };
}
