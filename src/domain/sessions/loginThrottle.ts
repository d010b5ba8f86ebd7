import type { Kysely } from 'kysely';
import type { Dialect } from '../../store/db.js';
import type { Database } from '../../store/schema.js';

/**
 * Failures allowed before the lockout starts, and its growth: 1 s, 2 s, 4 s … up to 15 min.
 * An address gets more room than an account: many people may share one (NAT, proxies).
 */
const FREE_FAILURES = { account: 5, address: 20 } as const;
const freeFailures = (key: string) =>
  key.startsWith('address:') ? FREE_FAILURES.address : FREE_FAILURES.account;
const MAX_LOCK_MS = 15 * 60_000;
/** A quiet period after which an account's or address's failures are forgotten. */
const FORGET_AFTER_MS = 60 * 60_000;

const lockFor = (key: string, failures: number, now: number): number | null => {
  const free = freeFailures(key);
  return failures > free ? now + Math.min(MAX_LOCK_MS, 1000 * 2 ** (failures - free - 1)) : null;
};

type Row = {
  key: string;
  failures: number;
  first_failure_at: number | string;
  locked_until: number | string | null;
};

/**
 * A slowing lockout per account and per client address, kept in the database so every node
 * agrees. Record, then verify: `attempt` counts the try as a failure in the same transaction that
 * checks the lock (rows locked on PostgreSQL, one writer on SQLite), so however many requests
 * race, no more passwords are verified than the lockout allows; `succeeded` takes the count back.
 * A locked key refuses even the right password, with the same message as a wrong one: nothing
 * tells an attacker whether the account exists or the password was right.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Reserves one try for every key: 0 means the caller may verify the password now (the try
   * already counts as a failure); otherwise the milliseconds until it may try again.
   */
  async attempt(keys: readonly string[], now = Date.now()): Promise<number> {
    const sorted = [...new Set(keys)].sort(); // one lock order for every node: no deadlock
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('login_throttle')
        .values(sorted.map((key) => ({ key, failures: 0, first_failure_at: now, locked_until: null })))
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      let query = trx.selectFrom('login_throttle').selectAll().where('key', 'in', sorted).orderBy('key');
      if (this.dialect === 'postgres') query = query.forUpdate();
      const rows = (await query.execute()) as Row[];
      const wait = Math.max(0, ...rows.map((r) => Number(r.locked_until ?? 0) - now));
      if (wait > 0) return wait;
      for (const row of rows) {
        const stale = row.failures === 0 || now - Number(row.first_failure_at) > FORGET_AFTER_MS;
        const failures = stale ? 1 : row.failures + 1;
        await trx
          .updateTable('login_throttle')
          .set({
            failures,
            first_failure_at: stale ? now : Number(row.first_failure_at),
            locked_until: lockFor(row.key, failures, now),
          })
          .where('key', '=', row.key)
          .execute();
      }
      return 0;
    });
  }

  /** The password was right: the account's failures are forgotten, the address's try refunded. */
  async succeeded(keys: readonly string[], now = Date.now()): Promise<void> {
    const sorted = [...new Set(keys)].sort();
    await this.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('login_throttle').selectAll().where('key', 'in', sorted).orderBy('key');
      if (this.dialect === 'postgres') query = query.forUpdate();
      for (const row of (await query.execute()) as Row[]) {
        if (row.key.startsWith('account:') || row.failures <= 1) {
          await trx.deleteFrom('login_throttle').where('key', '=', row.key).execute();
        } else {
          const failures = row.failures - 1;
          const locked = failures > freeFailures(row.key) ? row.locked_until : null;
          await trx
            .updateTable('login_throttle')
            .set({ failures, locked_until: locked === null ? null : Number(locked) })
            .where('key', '=', row.key)
            .execute();
        }
      }
    });
  }
}
