import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const HOUR_MS = 3_600_000;

/** Rows created per hour since `from` in one org: hour (epoch ms of its start) → count. */
async function perHour(
  db: Kysely<Database>,
  table: 'token_grants' | 'login_sessions',
  orgId: string,
  from: number,
  onlyAccess: boolean,
): Promise<Map<number, number>> {
  // Integer division buckets by hour on both SQLite and PostgreSQL (created_at is epoch ms).
  // A literal, not a parameter: a bound number is a REAL in SQLite and PostgreSQL's GROUP BY must
  // see the same expression as the SELECT.
  const hour = sql<number>`created_at / ${sql.lit(HOUR_MS)}`;
  let q = db
    .selectFrom(table)
    .select([hour.as('hour'), sql<number>`count(*)`.as('n')])
    .where('org_id', '=', orgId)
    .where('created_at', '>=', from)
    .groupBy(hour);
  if (onlyAccess) q = q.where(sql.ref('type'), '=', 'access');
  const rows = await q.execute();
  return new Map(rows.map((r) => [Number(r.hour) * HOUR_MS, Number(r.n)]));
}

export interface HourlyActivity {
  hour: number;
  tokens: number;
  logins: number;
}

/** The last `hours` whole hours up to now: people's access tokens issued and password logins. */
export async function hourlyActivity(
  db: Kysely<Database>,
  orgId: string,
  now: number,
  hours = 24,
): Promise<HourlyActivity[]> {
  const first = (Math.floor(now / HOUR_MS) - (hours - 1)) * HOUR_MS;
  const [tokens, logins] = await Promise.all([
    perHour(db, 'token_grants', orgId, first, true),
    perHour(db, 'login_sessions', orgId, first, false),
  ]);
  return Array.from({ length: hours }, (_, i) => {
    const hour = first + i * HOUR_MS;
    return { hour, tokens: tokens.get(hour) ?? 0, logins: logins.get(hour) ?? 0 };
  });
}
