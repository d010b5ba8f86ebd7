import { parseAllowList, type AllowList } from './outbound/policy.js';

/**
 * Configuration from environment variables (CLI flags may override), validated once at start.
 * A bad value stops the process with one line naming the variable (ConfigError).
 */
import { opsConfig, type OpsConfig } from './opsConfig.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface KeywardConfig extends OpsConfig {
  port: number;
  host: string;
  /** Public base URL; `iss` of every token and the base of absolute Link URLs. No trailing slash. */
  issuer: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };
  /** Base64/hex encoded 32-byte key, or undefined: embedded mode then keeps one in ./data/master.key. */
  masterKey?: string;
  dataDir: string;
  logLevel: LogLevel;
  bodyLimit: number;
  /** Trust X-Forwarded-* headers (behind a proxy). */
  trustProxy: boolean;
  bootstrap: { clientId?: string; clientSecret?: string; adminPassword?: string };
  /** The admin console: served at /console and registered as an OAuth client (KEYWARD_CONSOLE). */
  console: boolean;
  /** The built admin console (KEYWARD_CONSOLE_DIR; default dist/console beside the server). */
  consoleDir?: string;
  /** Algorithm of ID tokens: RS256 (interoperable default) or EdDSA. */
  idTokenAlg: 'RS256' | 'EdDSA';
  /** Access-token lifetime for clients that do not set their own, seconds. */
  defaultAccessTokenTtl: number;
  /** How often coalesced `lastUsed` updates are written, ms. */
  lastUsedFlushMs: number;
  /** Per-client management API rate limit: requests per window (0 = off). */
  rateLimit: { max: number; windowSeconds: number };
  /** KEYWARD_UPSTREAM_ALLOW: internal upstream hosts/ranges Keyward may call (and over plain http). */
  upstreamAllow: AllowList;
  /** Database connection behaviour under faults (KEYWARD_DB_*); see README "Operations". */
  dbTimeouts: DbTimeouts;
  /** How often cached revocations, clients and people are reconciled with the database, ms. */
  reconcileMs: number;
  /** After SIGTERM: how long /readyz says 503 while requests are still served, ms. */
  shutdownDrainMs: number;
}

export interface DbTimeouts {
  /** Opening a database connection, ms. */
  connectMs: number;
  /** `statement_timeout` of every session, ms (a client-side bound a little above it too). */
  statementMs: number;
  /** Waiting for a free pooled connection, ms. */
  acquireMs: number;
  /** `application_name` of this node's connections (pg_stat_activity). */
  applicationName: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} is invalid: expected an integer from ${min} to ${max}`,
    );
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(env[name])} is invalid: expected true or false`);
}

function issuerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `KEYWARD_ISSUER=${JSON.stringify(raw)} is invalid: expected an absolute http(s) URL`,
    );
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new ConfigError(
      `KEYWARD_ISSUER=${JSON.stringify(raw)} is invalid: expected an http(s) URL without query or fragment`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function database(env: Env, dataDir: string): KeywardConfig['database'] {
  const raw = env.KEYWARD_DATABASE_URL?.trim();
  const schema = env.KEYWARD_DATABASE_SCHEMA?.trim() || undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(
      `KEYWARD_DATABASE_SCHEMA=${JSON.stringify(schema)} is invalid: expected a lowercase SQL identifier`,
    );
  }
  if (!raw) return { kind: 'sqlite', file: `${dataDir}/keyward.db` };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('KEYWARD_DATABASE_URL is invalid: not a parsable postgres:// URL');
    }
    return { kind: 'postgres', url: raw, schema };
  }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new ConfigError('KEYWARD_DATABASE_URL is invalid: sqlite: needs a file path');
    return { kind: 'sqlite', file };
  }
  throw new ConfigError(
    `KEYWARD_DATABASE_URL is invalid: expected postgres://… or sqlite:PATH (got scheme ${JSON.stringify(raw.split(':')[0])})`,
  );
}

function upstreamAllow(raw: string | undefined): AllowList {
  try {
    return parseAllowList(raw);
  } catch (error) {
    throw new ConfigError(
      `KEYWARD_UPSTREAM_ALLOW is invalid: ${(error as Error).message} (expected comma-separated host names, IP addresses or CIDR ranges)`,
    );
  }
}

function idTokenAlg(raw: string | undefined): 'RS256' | 'EdDSA' {
  const value = raw?.trim() || 'RS256';
  if (value !== 'RS256' && value !== 'EdDSA') {
    throw new ConfigError(`KEYWARD_ID_TOKEN_ALG=${JSON.stringify(raw)} is invalid: expected RS256 or EdDSA`);
  }
  return value;
}

function dbTimeouts(env: Env): DbTimeouts {
  const applicationName = env.KEYWARD_DB_APPLICATION_NAME?.trim() || 'keyward';
  if (!/^[A-Za-z0-9._-]{1,50}$/.test(applicationName)) {
    throw new ConfigError(
      `KEYWARD_DB_APPLICATION_NAME=${JSON.stringify(applicationName)} is invalid: 1-50 characters of A-Z a-z 0-9 . _ -`,
    );
  }
  return {
    connectMs: integer(env, 'KEYWARD_DB_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    statementMs: integer(env, 'KEYWARD_DB_STATEMENT_TIMEOUT_MS', 15_000, 100, 3_600_000),
    acquireMs: integer(env, 'KEYWARD_DB_ACQUIRE_TIMEOUT_MS', 5000, 100, 600_000),
    applicationName,
  };
}

export function loadConfig(
  env: Env = process.env,
  overrides: Partial<Record<string, string>> = {},
): KeywardConfig {
  const merged: Env = { ...env, ...overrides };
  const port = integer(merged, 'KEYWARD_PORT', 8080, 0, 65535);
  const host = merged.KEYWARD_HOST?.trim() || '127.0.0.1';
  const dataDir = merged.KEYWARD_DATA_DIR?.trim() || './data';
  const logLevel = (merged.KEYWARD_LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `KEYWARD_LOG_LEVEL=${JSON.stringify(merged.KEYWARD_LOG_LEVEL)} is invalid: expected one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  const db = database(merged, dataDir);
  const masterKey = merged.KEYWARD_MASTER_KEY?.trim() || undefined;
  if (db.kind === 'postgres' && !masterKey) {
    throw new ConfigError(
      'KEYWARD_MASTER_KEY is required with PostgreSQL (every node must share it): 32 bytes, base64 or hex',
    );
  }
  const bootstrapSecret = merged.KEYWARD_BOOTSTRAP_CLIENT_SECRET || undefined;
  if (bootstrapSecret !== undefined && bootstrapSecret.length < 24) {
    throw new ConfigError('KEYWARD_BOOTSTRAP_CLIENT_SECRET is invalid: use at least 24 characters');
  }
  const bootstrapPassword = merged.KEYWARD_BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (bootstrapPassword !== undefined && bootstrapPassword.length < 12) {
    throw new ConfigError('KEYWARD_BOOTSTRAP_ADMIN_PASSWORD is invalid: use at least 12 characters');
  }
  const bootstrapClientId = merged.KEYWARD_BOOTSTRAP_CLIENT_ID || undefined;
  if (bootstrapClientId !== undefined && !/^[A-Za-z0-9._~-]{1,128}$/.test(bootstrapClientId)) {
    throw new ConfigError('KEYWARD_BOOTSTRAP_CLIENT_ID is invalid: 1-128 characters of A-Z a-z 0-9 . _ ~ -');
  }
  return {
    port,
    host,
    issuer: issuerUrl(merged.KEYWARD_ISSUER?.trim() || `http://localhost:${port}`),
    database: db,
    masterKey,
    dataDir,
    logLevel,
    bodyLimit: integer(merged, 'KEYWARD_BODY_LIMIT', 1_048_576, 1024, 100 * 1_048_576),
    trustProxy: bool(merged, 'KEYWARD_TRUST_PROXY', false),
    bootstrap: {
      clientId: bootstrapClientId,
      clientSecret: bootstrapSecret,
      adminPassword: bootstrapPassword,
    },
    idTokenAlg: idTokenAlg(merged.KEYWARD_ID_TOKEN_ALG),
    console: bool(merged, 'KEYWARD_CONSOLE', true),
    consoleDir: merged.KEYWARD_CONSOLE_DIR?.trim() || undefined,
    defaultAccessTokenTtl: integer(merged, 'KEYWARD_ACCESS_TOKEN_TTL', 3600, 60, 86_400),
    lastUsedFlushMs: integer(merged, 'KEYWARD_LAST_USED_FLUSH_MS', 30_000, 100, 60_000),
    rateLimit: {
      max: integer(merged, 'KEYWARD_RATE_LIMIT_MAX', 100, 0, 1_000_000),
      windowSeconds: integer(merged, 'KEYWARD_RATE_LIMIT_WINDOW_SECONDS', 10, 1, 3600),
    },
    upstreamAllow: upstreamAllow(merged.KEYWARD_UPSTREAM_ALLOW),
    ...opsConfig(merged),
    dbTimeouts: dbTimeouts(merged),
    reconcileMs: integer(merged, 'KEYWARD_RECONCILE_INTERVAL_MS', 5000, 100, 60_000),
    shutdownDrainMs: integer(merged, 'KEYWARD_SHUTDOWN_DRAIN_MS', 5000, 0, 600_000),
  };
}
