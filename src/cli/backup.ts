import { resolve } from 'node:path';
import { backupSqlite, restoreSqlite } from '../store/backup.js';
import type { KeywardConfig } from '../platform/config.js';
import type { CliCommand } from './command.js';

function sqliteFile(config: KeywardConfig, verb: string): string {
  if (config.database.kind !== 'sqlite') {
    throw new Error(`${verb} is for SQLite; on PostgreSQL use pg_dump / pg_restore (README, Operations)`);
  }
  return config.database.file;
}

function target(positionals: string[], verb: string): string {
  if (positionals.length !== 1) throw new Error(`${verb} takes exactly one FILE`);
  return resolve(positionals[0]!);
}

export const backup: CliCommand = {
  summary: 'write an online backup of the SQLite database to FILE (safe while serving)',
  args: 'FILE',
  async run({ config, positionals, out }) {
    const dest = target(positionals, 'backup');
    await backupSqlite(sqliteFile(config(), 'backup'), dest);
    out(`backup written to ${dest}\n`);
  },
};

export const restore: CliCommand = {
  summary: 'replace the SQLite database with the backup FILE (server stopped; --force over data)',
  args: 'FILE',
  options: { force: { type: 'boolean', help: 'replace a database that is not empty' } },
  async run({ config, values, positionals, out }) {
    const source = target(positionals, 'restore');
    const file = sqliteFile(config(), 'restore');
    await restoreSqlite(source, file, values.force === true);
    out(`restored ${source} into ${file}\n`);
  },
};
