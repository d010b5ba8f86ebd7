/**
 * Checks before anything opens or writes the database, so a start never replaces or half-reads the
 * data of a deployment: each failure is one line naming the file or variable and what to do.
 */
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { ConfigError, type KeywardConfig } from '../platform/config.js';

const SQLITE_HEADER = 'SQLite format 3\0';

type PreflightConfig = Pick<KeywardConfig, 'database' | 'dataDir' | 'masterKey'>;

export async function preflight(config: PreflightConfig): Promise<void> {
  const db = config.database;
  // The data dir holds master.key (unless KEYWARD_MASTER_KEY is set) and, by default, the database.
  if (!config.masterKey || (db.kind === 'sqlite' && resolve(dirname(db.file)) === resolve(config.dataDir))) {
    ensureWritableDir(config.dataDir, 'KEYWARD_DATA_DIR');
  }
  if (db.kind === 'postgres') return checkPostgres(db.url);
  if (db.file === ':memory:') return;
  if (resolve(dirname(db.file)) !== resolve(config.dataDir))
    ensureWritableDir(dirname(db.file), 'KEYWARD_DATABASE_URL');
  checkSqliteFile(db.file);
  if (!config.masterKey && resolve(dirname(db.file)) === resolve(config.dataDir)) {
    checkKeyBesideDatabase(db.file, `${config.dataDir}/master.key`);
  }
}

function ensureWritableDir(dir: string, variable: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(
      `${variable}: ${dir} is not a writable directory (${code}): create it and give the Keyward user write access, or set ${variable} elsewhere`,
    );
  }
}

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/** A non-empty file that is not an SQLite database, or whose schema cannot be read: damaged. */
function checkSqliteFile(file: string): void {
  const size = sizeOf(file);
  if (size === 0) return;
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  const damaged = (why: string) =>
    new ConfigError(
      `${file} is damaged (${why}): restore it from a backup (keyward restore FILE), or move it away to start empty`,
    );
  if (header.toString('latin1') !== SQLITE_HEADER) throw damaged('not an SQLite database');
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    sqlite.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    if (/SQLITE_(CORRUPT|NOTADB)/.test((error as { code?: string }).code ?? '')) {
      throw damaged((error as Error).message);
    }
    throw error;
  } finally {
    sqlite?.close();
  }
}

/** A database with sealed secrets needs the key that sealed them; a key alone means data went missing. */
function checkKeyBesideDatabase(file: string, keyFile: string): void {
  const hasKey = existsSync(keyFile);
  if (hasKey && sizeOf(file) === 0) {
    throw new ConfigError(
      `${file} is ${existsSync(file) ? 'empty' : 'missing'} but ${keyFile} exists: this data dir held a database. Restore ${file} from a backup; to start a new, empty deployment instead, move ${keyFile} away`,
    );
  }
  if (!hasKey && holdsSealedSecrets(file)) {
    throw new ConfigError(
      `${keyFile} is missing but ${file} holds data sealed with it: restore master.key from a backup (or set KEYWARD_MASTER_KEY); a new key cannot decrypt this database`,
    );
  }
}

function holdsSealedSecrets(file: string): boolean {
  if (sizeOf(file) === 0) return false;
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    const table = sqlite
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'signing_keys'")
      .get();
    return !!table && !!sqlite.prepare('select 1 from signing_keys limit 1').get();
  } finally {
    sqlite.close();
  }
}

/** PostgreSQL errors otherwise surface as "migration unknown failed: " (ECONNREFUSED has no message). */
async function checkPostgres(url: string): Promise<void> {
  const target = new URL(url);
  const where = `${target.hostname || 'localhost'}:${target.port || 5432}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new ConfigError(`KEYWARD_DATABASE_URL: PostgreSQL connect to ${where} failed: ${describe(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

function describe(error: unknown): string {
  const e = error as { message?: string; code?: string; errors?: { code?: string; message?: string }[] };
  const first = e.errors?.[0];
  return e.message || first?.message || e.code || first?.code || String(error);
}

/** AES-GCM's "Unsupported state or unable to authenticate data" means the wrong master key. */
export function masterKeyMismatch(error: unknown, config: PreflightConfig): unknown {
  if (!/unable to authenticate data/i.test((error as Error)?.message ?? '')) return error;
  const source = config.masterKey ? 'KEYWARD_MASTER_KEY' : `${config.dataDir}/master.key (KEYWARD_DATA_DIR)`;
  return new ConfigError(
    `${source}: the master key does not decrypt this database: use the key it was created with`,
  );
}
