/**
 * Webex licenses at scale (issue 7), on SQLite and PostgreSQL:
 *   (a) assign throughput: PATCH /v1/licenses/users adding one license to a different person each
 *       time, with 100k people in the org (BENCH_LICENSE_PEOPLE), 16 concurrent keep-alive clients;
 *   (b) remove throughput: the same PATCHes with operation remove;
 *   (c) assigned-users page latency: GET /v1/licenses/{id}?includeAssignedTo=user&max=100 on a
 *       license with 100k assignments, first page and pages at random keyset cursors (sequential);
 *   plus the time to walk every page (max=1000) as a ratio.
 * People and the 100k assignments are loaded straight into the database in multi-row inserts.
 * Environment: BENCH_LICENSE_PEOPLE (100000), BENCH_LICENSE_OPS (assign/remove requests, 4000),
 * BENCH_LICENSE_DBS (sqlite,postgres), KEYWARD_BENCH_PG_URL.
 */
import http from 'node:http';
import { sql, type Kysely } from 'kysely';
import { newId } from '../../src/platform/ids.js';
import { openStore } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import type { BenchRow } from '../lib/report.js';
import { prepareTarget } from '../lib/targets.js';
import { CLIENT_ID, CLIENT_SECRET, startKeyward, type RunningServer } from '../lib/servers.js';

const PEOPLE = Number(process.env.BENCH_LICENSE_PEOPLE ?? 100_000);
const OPS = Number(process.env.BENCH_LICENSE_OPS ?? 4000);
const CONCURRENCY = 16;
const DBS = (process.env.BENCH_LICENSE_DBS ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as (
  'sqlite' | 'postgres'
)[];
const BATCH = 500;

/** 100k people, an empty license for (a)/(b) and one with every person assigned for (c). */
async function load(db: Kysely<Database>, orgId: string) {
  const now = Date.now();
  const people: string[] = [];
  const busy = newId(now);
  const spare = newId(now + 1);
  const license = (id: string, name: string, consumed: number) => ({
    id,
    org_id: orgId,
    name,
    total_units: PEOPLE * 2,
    consumed_by_users: consumed,
    consumed_by_workspaces: 0,
    subscription_id: 'bench',
    site_url: null,
    site_type: null,
    created_at: now,
    updated_at: now,
  });
  await db
    .insertInto('licenses')
    .values([license(busy, 'Meeting - Webex Meeting Center', PEOPLE), license(spare, 'Messaging', 0)])
    .execute();
  const assignments: string[] = [];
  for (let start = 0; start < PEOPLE; start += BATCH * 10) {
    await db.transaction().execute(async (trx) => {
      for (let b = start; b < Math.min(PEOPLE, start + BATCH * 10); b += BATCH) {
        const rows = [];
        const held = [];
        for (let i = b; i < Math.min(PEOPLE, b + BATCH); i++) {
          const id = newId(now + i);
          people.push(id);
          rows.push({
            id,
            org_id: orgId,
            email: `bench${i}@example.com`,
            display_name: `Bench Person ${i}`,
            first_name: 'Bench',
            last_name: `${i}`,
            password_hash: null,
            roles: '[]',
            status: 'active',
            created_at: now,
            updated_at: now,
          });
          const assignment = newId(now + i);
          assignments.push(assignment);
          held.push({
            id: assignment,
            license_id: busy,
            org_id: orgId,
            holder_kind: 'person',
            holder_id: id,
            holder_org_id: orgId,
            status: 'active',
            location_id: null,
            phone_number: null,
            extension: null,
            created_at: now,
          });
        }
        await trx.insertInto('people').values(rows).execute();
        await trx.insertInto('license_assignments').values(held).execute();
      }
    });
  }
  return { people, busy, spare, assignments };
}

function client(baseUrl: string, token: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { hostname, port } = new URL(baseUrl);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json;charset=utf-8' };
  return (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: string; link?: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: hostname,
          port,
          path,
          method,
          agent,
          headers: { ...headers, ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: text,
              link: res.headers.link as string | undefined,
            }),
          );
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
}

/** `count` requests through `concurrency` workers: throughput and latency percentiles. */
async function pool(
  count: number,
  concurrency: number,
  one: (i: number) => Promise<{ status: number; body: string }>,
) {
  const times: number[] = [];
  let non2xx = 0;
  let next = 0;
  let firstError = '';
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const start = performance.now();
        const res = await one(i);
        times.push(performance.now() - start);
        if (res.status !== 200) {
          non2xx++;
          firstError ||= `${res.status} ${res.body}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (firstError) console.error(`  first error: ${firstError}`);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { requestsPerSec: count / seconds, p50: at(0.5), p99: at(0.99), non2xx };
}

export async function licenseScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  const size = `${PEOPLE >= 1000 ? `${PEOPLE / 1000}k` : PEOPLE} people`;
  for (const dbName of DBS) {
    const target = await prepareTarget(dbName);
    let server: RunningServer | undefined;
    try {
      server = await startKeyward({ dataDir: target.dataDir, env: target.env });
      const store = openStore(target.database);
      let loaded: Awaited<ReturnType<typeof load>>;
      try {
        const root = await store.db
          .selectFrom('organizations')
          .select('id')
          .where('code', '=', 'root')
          .executeTakeFirstOrThrow();
        const started = performance.now();
        console.error(`loading ${PEOPLE} people and assignments into ${dbName}…`);
        loaded = await load(store.db, root.id);
        ratios[`${dbName} load seconds`] = (performance.now() - started) / 1000;
        if (dbName === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
        else
          for (const t of ['people', 'licenses', 'license_assignments'])
            await sql`vacuum analyze ${sql.table(t)}`.execute(store.db);
      } finally {
        await store.close();
      }
      const tokenRes = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        }),
      });
      const { access_token } = (await tokenRes.json()) as { access_token: string };
      const call = client(server.url, access_token);
      const patch = (personId: string, operation: 'add' | 'remove') =>
        call('PATCH', '/v1/licenses/users', { personId, licenses: [{ id: loaded.spare, operation }] });
      // warm-up on people the measurement never touches
      const warm = loaded.people.slice(PEOPLE - 500);
      await pool(warm.length, CONCURRENCY, (i) => patch(warm[i]!, 'add'));
      await pool(warm.length, CONCURRENCY, (i) => patch(warm[i]!, 'remove'));
      const server_ = server;
      const row = (scenario: string, r: Awaited<ReturnType<typeof pool>>): BenchRow => ({
        scenario,
        server: `keyward ${dbName} ${size}`,
        ...r,
        rssMb: server_.rssMb(),
      });
      const assign = await pool(OPS, CONCURRENCY, (i) => patch(loaded.people[i]!, 'add'));
      rows.push(row(`license assign (PATCH add, ${CONCURRENCY} clients)`, assign));
      const remove = await pool(OPS, CONCURRENCY, (i) => patch(loaded.people[i]!, 'remove'));
      rows.push(row(`license remove (PATCH remove, ${CONCURRENCY} clients)`, remove));

      const page = (cursor?: string) =>
        `/v1/licenses/${loaded.busy}?includeAssignedTo=user&max=100${cursor ? `&cursor=${cursor}` : ''}`;
      const cursorAt = (i: number) =>
        Buffer.from(
          `k:${loaded.assignments[Math.floor((((i * 7919) % 997) / 997) * (PEOPLE - 200))]!}`,
        ).toString('base64url');
      await pool(300, 1, (i) => call('GET', page(cursorAt(i + 500))));
      rows.push(
        row(
          'assigned users, first page (max=100, sequential)',
          await pool(500, 1, () => call('GET', page())),
        ),
      );
      rows.push(
        row(
          'assigned users, random deep page (max=100, sequential)',
          await pool(1000, 1, (i) => call('GET', page(cursorAt(i)))),
        ),
      );
      // the whole list, as wxc_sdk's follow_pagination walks it
      const walkStart = performance.now();
      let next: string | undefined = `/v1/licenses/${loaded.busy}?includeAssignedTo=user&max=1000`;
      let seen = 0;
      while (next) {
        const res = await call('GET', next);
        if (res.status !== 200) throw new Error(`walk: ${res.status} ${res.body}`);
        seen += (JSON.parse(res.body) as { users: unknown[] }).users.length;
        const link = /<([^>]+)>;\s*rel="next"/.exec(res.link ?? '');
        next = link ? new URL(link[1]!).pathname + new URL(link[1]!).search : undefined;
      }
      if (seen !== PEOPLE) throw new Error(`walk saw ${seen} users, expected ${PEOPLE}`);
      ratios[`${dbName} walk all ${PEOPLE} users (max=1000) seconds`] =
        (performance.now() - walkStart) / 1000;
    } finally {
      await server?.stop();
      await target.drop();
    }
  }
  return { rows, ratios };
}
