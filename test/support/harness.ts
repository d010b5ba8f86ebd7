/**
 * Starts a real Keyward (services + Fastify app) on a fresh database for one test file:
 * a temporary SQLite file, or a fresh PostgreSQL schema (KEYWARD_TEST_DB=postgres), so
 * parallel runs never collide. Optionally listens on a free 127.0.0.1 port.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { buildApp } from '../../src/app.js';
import type { BootstrapResult } from '../../src/domain/bootstrap.js';
import { loadConfig, type KeywardConfig } from '../../src/platform/config.js';
import { createServices, type Services } from '../../src/services.js';

export const TEST_DB = (process.env.KEYWARD_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';
export const PG_URL = process.env.KEYWARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Harness {
  app: FastifyInstance;
  services: Services;
  config: KeywardConfig;
  /** http://127.0.0.1:PORT when listening (also the issuer), else the issuer. */
  baseUrl: string;
  admin: BootstrapResult;
  /** A client_credentials token of the bootstrap client (optionally narrowed to `scope`). */
  token(scope?: string): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  listen?: boolean;
  env?: Record<string, string>;
  /** Reuse an existing database (a second node): pass the first harness's database config. */
  database?: KeywardConfig['database'];
  masterKey?: string;
  /** Where log lines go (with env KEYWARD_LOG_LEVEL), e.g. to capture them in a test. */
  logStream?: DestinationStream;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A fresh database: SQLite file in a temp dir, or a new PostgreSQL schema. */
export async function freshDatabase(): Promise<{
  database: KeywardConfig['database'];
  dataDir: string;
  drop(): Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-test-'));
  if (TEST_DB === 'sqlite') {
    return {
      database: { kind: 'sqlite', file: join(dataDir, 'keyward.db') },
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const schema = `kw_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    database: { kind: 'postgres', url: PG_URL, schema },
    dataDir,
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const TEST_MASTER_KEY = randomBytes(32).toString('base64');

export async function startKeyward(options: HarnessOptions = {}): Promise<Harness> {
  const fresh = options.database ? undefined : await freshDatabase();
  const dataDir = fresh?.dataDir ?? mkdtempSync(join(tmpdir(), 'keyward-node-'));
  const port = options.listen ? await freePort() : 8080;
  const issuer = options.listen ? `http://127.0.0.1:${port}` : 'http://keyward.test';
  const clientSecret = randomBytes(32).toString('base64url');
  const config = loadConfig({
    KEYWARD_PORT: String(port),
    KEYWARD_ISSUER: issuer,
    KEYWARD_DATA_DIR: dataDir,
    KEYWARD_LOG_LEVEL: process.env.KEYWARD_TEST_LOG_LEVEL ?? 'silent',
    KEYWARD_MASTER_KEY: options.masterKey ?? TEST_MASTER_KEY,
    KEYWARD_BOOTSTRAP_CLIENT_SECRET: clientSecret,
    KEYWARD_BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple',
    // Off unless a test turns it on: the console's client would be one more client in every listing.
    KEYWARD_CONSOLE: 'false',
    ...options.env,
  });
  config.database = options.database ?? fresh!.database;
  const { services, bootstrapped } = await createServices(config);
  const app = await buildApp(services, { logStream: options.logStream });
  if (options.listen) await app.listen({ port, host: '127.0.0.1' });
  const admin =
    bootstrapped ??
    ({
      orgId: '',
      adminEmail: 'admin@localhost',
      adminPassword: '',
      clientId: '',
      clientSecret: '',
    } as BootstrapResult);
  return {
    app,
    services,
    config,
    baseUrl: issuer,
    admin,
    async token(scope?: string) {
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: admin.clientId,
        client_secret: admin.clientSecret,
      });
      if (scope) body.set('scope', scope);
      const res = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      });
      if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
      return res.json().access_token as string;
    },
    async close() {
      await app.close();
      await services.close();
      await fresh?.drop();
    },
  };
}
