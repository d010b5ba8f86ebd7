import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const BENCH_PG_URL = process.env.KEYWARD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh database for one benchmark server: a temp SQLite file, or a throwaway PostgreSQL schema. */
export interface Target {
  db: 'sqlite' | 'postgres';
  /** Environment for `startKeyward({env})`. */
  env: Record<string, string>;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };
  drop(): Promise<void>;
}

export async function prepareTarget(db: 'sqlite' | 'postgres'): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
  if (db === 'sqlite') {
    return {
      db,
      env: {},
      dataDir,
      database: { kind: 'sqlite', file: join(dataDir, 'keyward.db') },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const schema = `kw_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    db,
    env: {
      KEYWARD_DATABASE_URL: BENCH_PG_URL,
      KEYWARD_DATABASE_SCHEMA: schema,
      KEYWARD_MASTER_KEY: randomBytes(32).toString('base64'),
    },
    dataDir,
    database: { kind: 'postgres', url: BENCH_PG_URL, schema },
    async drop() {
      const c = new pg.Client({ connectionString: BENCH_PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
