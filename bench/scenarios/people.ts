/**
 * Webex people at scale: 100k people in one org (BENCH_PEOPLE), then GET /v1/people?max=100
 * followed through every absolute Link rel="next" to the end, one page at a time; p50/p99 per page.
 * Keyset paging means a late page costs what the first one does. SQLite and PostgreSQL
 * (BENCH_PEOPLE_DBS, default both).
 */
import { newId } from '../../src/platform/ids.js';
import { openStore } from '../../src/store/db.js';
import type { KeywardConfig } from '../../src/platform/config.js';
import type { BenchRow } from '../lib/report.js';
import { prepareTarget } from '../lib/targets.js';
import { CLIENT_ID, CLIENT_SECRET, startKeyward } from '../lib/servers.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const DBS = (process.env.BENCH_PEOPLE_DBS ?? 'sqlite,postgres').split(',').map((s) => s.trim());

async function loadPeople(database: KeywardConfig['database']): Promise<void> {
  const store = openStore(database);
  try {
    const org = await store.db
      .selectFrom('organizations')
      .select('id')
      .where('code', '=', 'root')
      .executeTakeFirstOrThrow();
    const now = Date.now();
    for (let start = 0; start < PEOPLE; start += 5000) {
      await store.db.transaction().execute(async (trx) => {
        for (let b = start; b < Math.min(PEOPLE, start + 5000); b += 500) {
          const rows = [];
          for (let i = b; i < Math.min(PEOPLE, b + 500); i++) {
            rows.push({
              id: newId(now + i),
              org_id: org.id,
              email: `p${i}@bench.example`,
              display_name: `Person ${i}`,
              first_name: 'P',
              last_name: `${i}`,
              password_hash: null,
              roles: '[]',
              status: 'active',
              created_at: now,
              updated_at: now,
            });
          }
          await trx.insertInto('people').values(rows).execute();
        }
      });
    }
  } finally {
    await store.close();
  }
}

export async function peoplePageScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const rows: BenchRow[] = [];
  for (const db of DBS) {
    const target = await prepareTarget(db as 'sqlite' | 'postgres');
    const server = await startKeyward({
      dataDir: target.dataDir,
      env: { ...target.env, KEYWARD_RATE_LIMIT_MAX: '0' },
    });
    try {
      await loadPeople(target.database);
      const token = (
        (await (
          await fetch(`${server.url}/oauth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: CLIENT_ID,
              client_secret: CLIENT_SECRET,
            }),
          })
        ).json()) as { access_token: string }
      ).access_token;
      const times: number[] = [];
      let url: string | undefined = `${server.url}/v1/people?max=100`;
      let seen = 0;
      let non2xx = 0;
      const walkStart = performance.now();
      while (url) {
        const t = performance.now();
        const res: Response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { items: unknown[] };
        times.push(performance.now() - t);
        if (res.status !== 200) non2xx++;
        seen += body.items?.length ?? 0;
        url = res.headers.get('link')?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
      }
      const walkSeconds = (performance.now() - walkStart) / 1000;
      if (seen < PEOPLE) throw new Error(`walked ${seen} people, expected at least ${PEOPLE}`);
      times.sort((a, b) => a - b);
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
      rows.push({
        scenario: 'people-page',
        server: `keyward ${db}, ${PEOPLE / 1000}k people, max=100 (${times.length} pages)`,
        requestsPerSec: times.length / walkSeconds,
        p50: at(0.5),
        p99: at(0.99),
        non2xx,
        rssMb: server.rssMb(),
      });
    } finally {
      await server.stop();
      await target.drop();
    }
  }
  return { rows, ratios: {} };
}
