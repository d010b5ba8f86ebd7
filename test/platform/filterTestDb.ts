/**
 * Real databases for the filter compiler tests: a temp-file SQLite database and, when reachable,
 * a throwaway schema in PostgreSQL (KEYWARD_TEST_PG_URL, else postgres://{root,postgres}@127.0.0.1:5432/test).
 * Both hold the same `items` table following the storage conventions (epoch-ms bigints, 0/1 booleans).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type Expression, type SqlBool } from 'kysely';

export interface TestDb {
  name: 'sqlite' | 'postgres';
  db: Kysely<any>;
  close(): Promise<void>;
}

const ms = (iso: string): number => Date.parse(iso);

/** Seven rows covering NULLs, empty strings, case, LIKE metacharacters and ms-precision timestamps. */
export const ROWS = [
  {
    id: 'a',
    name: 'Alice ABC Smith',
    code: 'AbC',
    count: 10,
    score: 1.5,
    enabled: 1,
    created: ms('2022-05-23T13:03:21.711Z'),
    last_used: null,
    type: 'work',
  },
  {
    id: 'b',
    name: 'bob_jones',
    code: 'abc',
    count: 3,
    score: 2.25,
    enabled: 0,
    created: ms('2018-12-18T23:05:55Z'),
    last_used: ms('2023-02-05T10:59:27.214Z'),
    type: 'home',
  },
  {
    id: 'c',
    name: '100% Pure',
    code: 'x%y',
    count: -3,
    score: null,
    enabled: 1,
    created: ms('2023-02-05T10:59:27.214Z'),
    last_used: ms('2023-02-06T00:00:00Z'),
    type: 'WORK',
  },
  {
    id: 'd',
    name: null,
    code: '',
    count: null,
    score: 0,
    enabled: null,
    created: ms('2020-01-01T00:00:00Z'),
    last_used: null,
    type: null,
  },
  {
    id: 'e',
    name: 'bobXjones back\\slash',
    code: 'ABC',
    count: 7,
    score: 1,
    enabled: 0,
    created: ms('2022-05-23T13:03:21.712Z'),
    last_used: ms('2022-01-01T00:00:00Z'),
    type: 'Public',
  },
  {
    id: 'f',
    name: 'xabcx',
    code: 'f',
    count: 0,
    score: 5,
    enabled: 0,
    created: ms('2024-01-01T00:00:00Z'),
    last_used: null,
    type: 'PUBLIC',
  },
  {
    id: 'g',
    name: 'abc',
    code: 'g',
    count: 1,
    score: 5,
    enabled: 0,
    created: ms('2024-01-01T00:00:00Z'),
    last_used: null,
    type: 'private',
  },
];

async function seed(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('code', 'text')
    .addColumn('count', 'integer')
    .addColumn('score', 'double precision')
    .addColumn('enabled', 'integer')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('last_used', 'bigint')
    .addColumn('type', 'text')
    .execute();
  await db.insertInto('items').values(ROWS).execute();
}

export async function openSqlite(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'kw-filter-'));
  const db = new Kysely<any>({
    dialect: new SqliteDialect({ database: new Database(join(dir, 'test.db')) }),
  });
  await seed(db);
  return {
    name: 'sqlite',
    db,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema in PostgreSQL, or undefined if no server answers. */
export async function openPostgres(): Promise<TestDb | undefined> {
  const urls = process.env.KEYWARD_TEST_PG_URL
    ? [process.env.KEYWARD_TEST_PG_URL]
    : ['postgres://root@127.0.0.1:5432/test', 'postgres://postgres@127.0.0.1:5432/test'];
  for (const connectionString of urls) {
    const admin = new pg.Pool({ connectionString, max: 1, connectionTimeoutMillis: 2000 });
    const schema = `kw_filter_${randomBytes(6).toString('hex')}`;
    try {
      await admin.query(`create schema ${schema}`);
    } catch {
      await admin.end();
      continue;
    }
    const pool = new pg.Pool({ connectionString, max: 2, options: `-c search_path=${schema}` });
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    try {
      await seed(db);
    } catch (err) {
      await db.destroy();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
      throw err;
    }
    return {
      name: 'postgres',
      db,
      async close() {
        await db.destroy();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      },
    };
  }
  return undefined;
}

/** Ids of the rows a WHERE expression selects, sorted. */
export async function selectIds(db: Kysely<any>, where: Expression<SqlBool>): Promise<string[]> {
  const rows = await db.selectFrom('items').select('id').where(where).orderBy('id').execute();
  return rows.map((r) => r.id as string);
}
