import { measure, type LoadResult } from '../lib/load.js';
import type { BenchRow } from '../lib/report.js';
import { prepareTarget } from '../lib/targets.js';
import { CLIENT_ID, CLIENT_SECRET, startKeyward, type RunningServer } from '../lib/servers.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const body = new URLSearchParams({
  grant_type: 'client_credentials',
  client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET,
}).toString();

const tokenLoad = (s: RunningServer, connections: number) =>
  measure({ url: `${s.url}/oauth/token`, method: 'POST', headers: FORM, body, connections });

/**
 * Two Keyward processes on one PostgreSQL schema, load split across both ports at once, against one
 * process alone. On this 2-core machine the load generator shares the cores with the servers, so
 * the ratio shows how much a second node adds here, not what separate machines would.
 */
export async function scaleOutScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const target = await prepareTarget('postgres');
  const env = target.env;
  const rows: BenchRow[] = [];
  try {
    const a = await startKeyward({ env, cpus: '0' });
    let single: LoadResult;
    try {
      single = await tokenLoad(a, 50);
      rows.push({ scenario: 'scale-out', server: 'keyward ×1 (PostgreSQL)', ...single, rssMb: a.rssMb() });
      const b = await startKeyward({ env, cpus: '1' });
      try {
        const [ra, rb] = await Promise.all([tokenLoad(a, 25), tokenLoad(b, 25)]);
        rows.push({
          scenario: 'scale-out',
          server: 'keyward ×2 (PostgreSQL, aggregate)',
          requestsPerSec: ra.requestsPerSec + rb.requestsPerSec,
          p50: Math.max(ra.p50, rb.p50),
          p99: Math.max(ra.p99, rb.p99),
          non2xx: ra.non2xx + rb.non2xx,
          errors: ra.errors + rb.errors,
          rssMb: a.rssMb() + b.rssMb(),
        });
      } finally {
        await b.stop();
      }
    } finally {
      await a.stop();
    }
  } finally {
    await target.drop();
  }
  return { rows, ratios: { 'two nodes / one node': rows[1]!.requestsPerSec / rows[0]!.requestsPerSec } };
}
