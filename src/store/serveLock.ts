/**
 * SQLite serves from one process: a second `keyward serve` on the same file would keep its own
 * caches and revocation set, blind to the first one's writes. The lock is an exclusive SQLite lock on
 * `<file>.lock`, an OS lock the kernel releases when the process dies (no stale lock to clean up).
 * CLI commands (keyward clients create, backup, ...) do not take it: they may run beside the server.
 */
import SQLite from 'better-sqlite3';
import { ConfigError } from '../platform/config.js';

export function lockForServing(file: string): () => void {
  const lockFile = `${file}.lock`;
  const lock = new SQLite(lockFile);
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in EXCLUSIVE locking mode it is never released.
    lock.exec('create table if not exists holder (pid integer); delete from holder');
    lock.prepare('insert into holder (pid) values (?)').run(process.pid);
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new ConfigError(
        `${file} is already served by another Keyward process (it holds ${lockFile}): stop that one first; SQLite serves from one process (use PostgreSQL for several nodes)`,
      );
    }
    throw error;
  }
  return () => lock.close();
}
