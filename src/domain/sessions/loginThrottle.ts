import type { Kysely } from 'kysely';
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

/**
 * A slowing lockout per account and per client address, kept in the database so every node
 * agrees. A locked key refuses even the right password, with the same message as a wrong one:
 * nothing tells an attacker whether the account exists or the password was right.
 */
export class LoginThrottle {
  constructor(private readonly db: Kysely<Database>) {}

  /** Milliseconds until any of these keys may try again (0 = now). */
  async waitFor(keys: readonly string[], now = Date.now()): Promise<number> {
    const rows = await this.db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
    return Math.max(0, ...rows.map((r) => (r.locked_until ?? 0) - now));
  }

  async recordFailure(keys: readonly string[], now = Date.now()): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const key of keys) {
        const row = await trx
          .selectFrom('login_throttle')
          .selectAll()
          .where('key', '=', key)
          .executeTakeFirst();
        const stale = !row || now - row.first_failure_at > FORGET_AFTER_MS;
        const failures = stale ? 1 : row.failures + 1;
        const free = freeFailures(key);
        const lockedUntil =
          failures > free ? now + Math.min(MAX_LOCK_MS, 1000 * 2 ** (failures - free - 1)) : null;
        const values = {
          failures,
          first_failure_at: stale ? now : row.first_failure_at,
          locked_until: lockedUntil,
        };
        if (row) await trx.updateTable('login_throttle').set(values).where('key', '=', key).execute();
        else
          await trx
            .insertInto('login_throttle')
            .values({ key, ...values })
            .execute();
      }
    });
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('key', '=', key).execute();
  }
}
