import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';

/**
 * Online backup of a SQLite database (SQLite's backup API: a consistent snapshot while the server
 * keeps writing) and restore. PostgreSQL deployments use pg_dump / pg_restore instead.
 */
export async function backupSqlite(file: string, dest: string): Promise<void> {
  if (!existsSync(file) || statSync(file).size === 0) throw new Error(`${file}: no database to back up`);
  if (existsSync(dest)) throw new Error(`${dest} already exists: choose a new file`);
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(dest);
  } finally {
    db.close();
  }
}

function tableCount(db: SQLite.Database): number {
  return (db.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number })
    .n;
}

/** Replaces `file` with the backup `source`; refuses over a non-empty database unless `force`. */
export async function restoreSqlite(source: string, file: string, force: boolean): Promise<void> {
  const src = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const check = src.pragma('quick_check', { simple: true });
    if (check !== 'ok' || tableCount(src) === 0) {
      throw new Error(`${source} is not a Keyward backup (SQLite check: ${String(check)})`);
    }
    if (!force && existsSync(file) && statSync(file).size > 0) {
      const target = new SQLite(file, { readonly: true });
      const tables = tableCount(target);
      target.close();
      if (tables > 0) {
        throw new Error(`${file} is not empty: stop the server, then restore with --force to replace it`);
      }
    }
    const tmp = `${file}.restoring`;
    rmSync(tmp, { force: true });
    await src.backup(tmp);
    // A WAL or shared-memory file of the old database would be replayed over the restored one.
    for (const stale of [`${file}-wal`, `${file}-shm`]) rmSync(stale, { force: true });
    renameSync(tmp, file);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new Error(`${source} is not a SQLite database`);
    }
    throw error;
  } finally {
    src.close();
  }
}
