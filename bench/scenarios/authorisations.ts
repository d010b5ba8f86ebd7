/**
 * Trivore-style authorisations at scale: load N authorisations (default 1,000,000) straight into
 * the database in multi-row inserts inside transactions, then measure p50/p99 over real HTTP
 * (Basic auth, one request at a time on a keep-alive socket, after a warm-up on other samples) of:
 *   (a) filter `subject.value eq "…" and active eq true`
 *   (b) filter `nsCode eq "root" and type sw "emp"` with count=20 (and the same with count=0,
 *       i.e. totalResults alone, to show what counting costs)
 *   (c) GET /api/rest/v1/authorisation/check (now, or a past instant half of the time)
 *
 * Environment: BENCH_AUTHZ_ROWS (default 1000000), BENCH_AUTHZ_DBS (comma list of sqlite,postgres;
 * default sqlite), BENCH_AUTHZ_REQUESTS (per query, default 3000; at most 1000 for (b)),
 * KEYWARD_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test; a throwaway schema is
 * created and dropped).
 *
 * Data shape: 10 namespaces (root + 9 customers of root, so the bootstrap client sees all); root
 * holds half the rows, the customers share the rest. 8 types per namespace, 2 of them starting
 * with "emp". 100,000 distinct subjects (~10 rows each), 200,000 objects. validFrom spread over
 * three years; 30 % open-ended, the rest 30–730 days long (so many have expired); 5 % revoked.
 * Every row has its history state(s), as the API would have written them. On PostgreSQL the
 * load ends with VACUUM ANALYZE (as autovacuum would, in time); SQLite gets no ANALYZE.
 */
import http from 'node:http';
import { sql, type Kysely } from 'kysely';
import { newId } from '../../src/platform/ids.js';
import { openStore } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import type { AuthorisationHistoryTable, AuthorisationRow } from '../../src/store/tables/authorisations.js';
import { table, type BenchRow } from '../lib/report.js';
import { CLIENT_ID, CLIENT_SECRET, startKeyward, type RunningServer } from '../lib/servers.js';
import { prepareTarget, type Target } from '../lib/targets.js';

const ROWS = Number(process.env.BENCH_AUTHZ_ROWS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_AUTHZ_REQUESTS ?? 3000);
const DBS = (process.env.BENCH_AUTHZ_DBS ?? 'sqlite').split(',').map((s) => s.trim()) as (
  'sqlite' | 'postgres'
)[];

const NAMESPACES = 10;
const SUBJECTS = 100_000;
const OBJECTS = 200_000;
const TYPE_CODES = [
  'employment',
  'employment_contract',
  'file_for_permit',
  'guardianship',
  'proxy',
  'signing_right',
  'tax_filing',
  'vehicle_use',
];
const DAY = 86_400_000;
const SAMPLES = 10_000;
const BATCH = 500; // rows per INSERT (16 columns: 8,000 parameters, under both databases' limits)
const BATCHES_PER_TX = 20;

/** A deterministic pseudo-random sequence, so runs load the same shape. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface LoadedSample {
  subjects: string[];
  checks: { subject: string; object: string; type: string; at?: string }[];
  loadSeconds: number;
}

/**
 * Loads `rows` authorisations (and their history) into a migrated, bootstrapped database whose
 * root organization is `rootOrgId`. Returns samples for the queries.
 */
export async function loadAuthorisations(
  db: Kysely<Database>,
  rootOrgId: string,
  rows: number,
): Promise<LoadedSample> {
  const started = performance.now();
  const rand = prng(42);
  const now = Date.now();
  const orgIds = [rootOrgId];
  for (let n = 1; n < NAMESPACES; n++) {
    const id = newId(now);
    await db
      .insertInto('organizations')
      .values({
        id,
        code: `customer${n}`,
        name: `Customer ${n}`,
        parent_id: rootOrgId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    orgIds.push(id);
  }
  const typeIds: string[][] = [];
  for (const orgId of orgIds) {
    const ids = TYPE_CODES.map(() => newId(now));
    await db
      .insertInto('authorisation_types')
      .values(
        TYPE_CODES.map((code, i) => ({
          id: ids[i]!,
          org_id: orgId,
          code,
          name: code,
          names: '[]',
          description: null,
          metadata: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    typeIds.push(ids);
  }

  const sample: LoadedSample = { subjects: [], checks: [], loadSeconds: 0 };
  const span = 3 * 365 * DAY;
  const start = now - span;
  let authBatch: AuthorisationRow[] = [];
  let historyBatch: AuthorisationHistoryTable[] = [];
  let batches: { a: AuthorisationRow[]; h: AuthorisationHistoryTable[] }[] = [];
  const queueBatch = () => {
    batches.push({ a: authBatch, h: historyBatch });
    authBatch = [];
    historyBatch = [];
  };
  const commit = async () => {
    const work = batches;
    batches = [];
    if (!work.length) return;
    await db.transaction().execute(async (trx) => {
      for (const { a, h } of work) {
        await trx.insertInto('authorisations').values(a).execute();
        await trx.insertInto('authorisation_history').values(h).execute();
      }
    });
  };

  for (let i = 0; i < rows; i++) {
    const created = start + Math.floor((span * i) / rows);
    const ns = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * (NAMESPACES - 1));
    const typeIndex = Math.floor(rand() * TYPE_CODES.length);
    const subject = `u${Math.floor(rand() * SUBJECTS)}`;
    const object = `o${Math.floor(rand() * OBJECTS)}`;
    const validFrom = created - Math.floor(rand() * 30 * DAY);
    const validTo = rand() < 0.3 ? null : validFrom + (30 + Math.floor(rand() * 700)) * DAY;
    const revokedAt = rand() < 0.05 ? Math.min(now - 1, created + Math.floor(rand() * 60 * DAY)) : null;
    const row: AuthorisationRow = {
      id: newId(created),
      org_id: orgIds[ns]!,
      type_id: typeIds[ns]![typeIndex]!,
      source_id: null,
      subject_type: 'User',
      subject_value: subject,
      object_type: 'User',
      object_value: object,
      valid_from: validFrom,
      valid_to: validTo,
      revoked_at: revokedAt,
      revocation_cause: revokedAt === null ? null : 'bench',
      creator_type: 'ManagementApiClient',
      creator_id: CLIENT_ID,
      created_at: created,
      updated_at: created,
    };
    authBatch.push(row);
    const state = {
      authorisation_id: row.id,
      org_id: row.org_id,
      type_id: row.type_id,
      source_id: null,
      subject_type: row.subject_type,
      subject_value: subject,
      object_type: row.object_type,
      object_value: object,
      valid_from: validFrom,
      valid_to: validTo,
    };
    if (revokedAt === null) {
      historyBatch.push({
        ...state,
        version: 1,
        revoked_at: null,
        recorded_from: created,
        recorded_to: null,
      });
    } else {
      historyBatch.push({
        ...state,
        version: 1,
        revoked_at: null,
        recorded_from: created,
        recorded_to: revokedAt,
      });
      historyBatch.push({
        ...state,
        version: 2,
        revoked_at: revokedAt,
        recorded_from: revokedAt,
        recorded_to: null,
      });
    }
    if (i % 97 === 0 && sample.subjects.length < SAMPLES) sample.subjects.push(subject);
    if (i % 89 === 0 && sample.checks.length < SAMPLES) {
      const past = rand() < 0.5;
      sample.checks.push({
        subject,
        object,
        type: TYPE_CODES[typeIndex]!,
        at: past ? new Date(created + Math.floor(rand() * 90 * DAY)).toISOString() : undefined,
      });
    }
    if (authBatch.length === BATCH) {
      queueBatch();
      if (batches.length === BATCHES_PER_TX) await commit();
    }
    if (i > 0 && i % 100_000 === 0) {
      console.error(`  loaded ${i} authorisations (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  if (authBatch.length) queueBatch();
  await commit();
  sample.loadSeconds = (performance.now() - started) / 1000;
  return sample;
}

/** One GET over a keep-alive socket (lighter than fetch, so the client adds little noise). */
function httpGetter(baseUrl: string, headers: Record<string, string>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(baseUrl);
  return (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get({ host: hostname, port, path, agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
}

async function measureQueries(
  server: RunningServer,
  target: Target,
  sample: LoadedSample,
): Promise<BenchRow[]> {
  const get = httpGetter(server.url, {
    authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    accept: 'application/json',
  });
  const base = '/api/rest/v1/authorisation';
  const list = (filter: string, count?: number) =>
    `${base}?${new URLSearchParams({ filter, ...(count !== undefined ? { count: String(count) } : {}) })}`;
  const half = (n: number) => Math.floor(n / 2);
  // Measured requests use the first half of each sample, the warm-up the second half: the
  // measurement never hits rows the warm-up just brought into the caches.
  const subject = (i: number, warm: boolean) =>
    sample.subjects[(i % half(sample.subjects.length)) + (warm ? half(sample.subjects.length) : 0)]!;
  const checkAt = (i: number, warm: boolean) =>
    sample.checks[(i % half(sample.checks.length)) + (warm ? half(sample.checks.length) : 0)]!;
  const queries: [string, (i: number, warm: boolean) => string][] = [
    [
      '(a) subject.value eq … and active eq true',
      (i, w) => list(`subject.value eq "${subject(i, w)}" and active eq true`),
    ],
    [
      '(b) nsCode eq "root" and type sw "emp", count=20',
      (i) => `${list('nsCode eq "root" and type sw "emp"', 20)}&startIndex=${1 + (i % 5) * 20}`,
    ],
    ['(b0) same, count=0 (totalResults only)', () => list('nsCode eq "root" and type sw "emp"', 0)],
    [
      '(c) check',
      (i, w) => {
        const c = checkAt(i, w);
        const q = new URLSearchParams({ 'subject.value': c.subject, 'object.value': c.object, type: c.type });
        if (c.at) q.set('at', c.at);
        return `${base}/check?${q}`;
      },
    ],
  ];
  const timed = async (n: number, path: (i: number) => string) => {
    const times: number[] = [];
    let non2xx = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      const res = await get(path(i));
      times.push(performance.now() - start);
      if (res.status !== 200) non2xx++;
    }
    const seconds = (performance.now() - t0) / 1000;
    times.sort((x, y) => x - y);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    return { p50: at(0.5), p99: at(0.99), non2xx, requestsPerSec: n / seconds };
  };
  for (const [name, url] of queries) {
    const first = await get(url(0, false));
    if (first.status !== 200) throw new Error(`${name}: ${first.status} ${first.body}`);
    const body = JSON.parse(first.body) as { totalResults?: number; active?: boolean };
    console.error(`  ${name}: first answer ${JSON.stringify(body.totalResults ?? body.active)}`);
  }
  // Warm-up: let V8 optimise the request path (the server shares one pinned core with its
  // compiler and GC threads, so early requests are noisy).
  for (let round = 0; round < 3; round++) {
    for (const [name, url] of queries) await timed(name.startsWith('(b') ? 50 : 500, (i) => url(i, true));
  }
  const rows: BenchRow[] = [];
  for (const [name, url] of queries) {
    const r = await timed(name.startsWith('(b') ? Math.min(REQUESTS, 1000) : REQUESTS, (i) => url(i, false));
    rows.push({
      scenario: `authz ${name}`,
      server: `keyward ${target.db} ${(ROWS / 1e6).toFixed(ROWS % 1e6 ? 2 : 0)}M rows`,
      ...r,
      rssMb: server.rssMb(),
    });
  }
  return rows;
}

/** The runner's entry: `npm run bench -- authorisations`. */
export async function authorisationsScenario(): Promise<{
  rows: BenchRow[];
  ratios: Record<string, number>;
}> {
  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  for (const dbName of DBS) {
    const target = await prepareTarget(dbName);
    let server: RunningServer | undefined;
    try {
      server = await startKeyward({ dataDir: target.dataDir, env: target.env });
      const store = openStore(target.database);
      let sample: LoadedSample;
      try {
        const root = await store.db
          .selectFrom('organizations')
          .select('id')
          .where('code', '=', 'root')
          .executeTakeFirstOrThrow();
        console.error(`loading ${ROWS} authorisations into ${dbName}…`);
        sample = await loadAuthorisations(store.db, root.id, ROWS);
        console.error(`  loaded in ${sample.loadSeconds.toFixed(1)} s`);
        if (dbName === 'sqlite') {
          // Fold the loader's write-ahead log into the database now; else the server's next write
          // (e.g. its periodic last-used flush) checkpoints ~1 GB synchronously mid-measurement.
          await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
        }
        if (dbName === 'postgres') {
          // What autovacuum would have done to a long-lived database: planner statistics, and
          // the visibility map that lets counts use index-only scans.
          const started = performance.now();
          for (const t of [
            'organizations',
            'authorisation_types',
            'authorisations',
            'authorisation_history',
          ]) {
            await sql`vacuum analyze ${sql.table(t)}`.execute(store.db);
          }
          console.error(`  vacuum analyze: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        }
      } finally {
        await store.close();
      }
      ratios[`${dbName} load rows/s`] = ROWS / sample.loadSeconds;
      const measured = await measureQueries(server, target, sample);
      console.error(table(measured)); // printed as each database finishes, in case a later one fails
      rows.push(...measured);
    } finally {
      await server?.stop();
      await target.drop();
    }
  }
  return { rows, ratios };
}
