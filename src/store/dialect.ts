/**
 * The only place where SQLite and PostgreSQL differ in a query. Every helper reads the dialect from
 * the handle itself (the transaction or the Kysely instance), so no caller carries a `dialect` around.
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Expression, Kysely, RawBuilder, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** The database handle a store function runs on: the shared instance or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
/** An open transaction, where a step must run inside the caller's one. */
export type Tx = Transaction<Database>;

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Row locks for a read-then-write inside a transaction. PostgreSQL needs `FOR UPDATE`; SQLite has
 * no row locks (and rejects the clause) but serialises writers, so the query stays as it is.
 */
export function lockForUpdate<Q extends { forUpdate(): Q }>(db: Db, query: Q): Q {
  return isPostgres(db) ? query.forUpdate() : query;
}

/**
 * A text value ordered by code point on both databases: SQLite compares bytes (UTF-8 keeps code
 * point order), PostgreSQL would otherwise use its locale's collation.
 */
export function textOrder(db: Db, value: Expression<unknown>): RawBuilder<unknown> {
  return isPostgres(db) ? sql`${value} collate "C"` : sql`${value}`;
}

/**
 * Whether a LIKE prefix search should also be given as a range: SQLite never uses an index for
 * LIKE on an expression, PostgreSQL derives the range itself from a "C"-collated index.
 */
export function needsPrefixRange(db: Db): boolean {
  return !isPostgres(db);
}
