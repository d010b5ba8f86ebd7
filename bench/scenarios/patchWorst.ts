/**
 * Issue 13 §2: the worst JSON Patch of an OAuth client answers in < 10 ms. A client at its limits
 * (50 redirect URIs of ~2 kB), then 100-operation patches sent one at a time (SQLite): the
 * heaviest accepted patches (100 whole-list copies; 99 list rotations) and the doubling attack
 * (refused with 400 before it runs). A row counts responses other than the expected status.
 */
import type { BenchRow } from '../lib/report.js';
import { sequentialLatency } from '../lib/load.js';
import { CLIENT_ID, CLIENT_SECRET, startKeyward } from '../lib/servers.js';

const COUNT = Number(process.env.BENCH_PATCH_COUNT ?? 200);
const uri = (n: number) => `https://app.example/cb/${n}/${'x'.repeat(2000)}`;

const PATCHES: { name: string; expect: number; ops: unknown[] }[] = [
  {
    name: '99 × copy /redirectUris onto itself + rename',
    expect: 200,
    ops: [
      ...Array.from({ length: 99 }, () => ({ op: 'copy', from: '/redirectUris', path: '/redirectUris' })),
      { op: 'replace', path: '/name', value: 'renamed' },
    ],
  },
  {
    name: '99 × move /redirectUris/0 → /redirectUris/-',
    expect: 200,
    ops: Array.from({ length: 99 }, () => ({ op: 'move', from: '/redirectUris/0', path: '/redirectUris/-' })),
  },
  {
    name: '100 × copy /redirectUris → /redirectUris/- (refused)',
    expect: 400,
    ops: Array.from({ length: 100 }, () => ({ op: 'copy', from: '/redirectUris', path: '/redirectUris/-' })),
  },
];

export async function patchWorstScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const server = await startKeyward();
  const rows: BenchRow[] = [];
  try {
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
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/v3/oauth-clients`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'patch target',
        description: 'bench',
        accessTokenValiditySeconds: 750,
        enabled: true,
        grantTypes: ['AUTHORIZATION_CODE'],
        accessType: 'ONLINE',
        redirectUris: Array.from({ length: 50 }, (_, i) => uri(i)),
      }),
    });
    if (created.status !== 200) throw new Error(`create failed: ${created.status} ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    for (const patch of PATCHES) {
      const body = JSON.stringify(patch.ops);
      let unexpected = 0;
      const start = performance.now();
      const latency = await sequentialLatency(COUNT, async () => {
        const res = await fetch(`${server.url}/v3/oauth-clients/${id}`, {
          method: 'PATCH',
          headers: { ...headers, 'content-type': 'application/json-patch+json' },
          body,
        });
        if (res.status !== patch.expect) unexpected++;
        return new Response(await res.arrayBuffer(), { status: 200 });
      });
      rows.push({
        scenario: 'patch-worst',
        server: `keyward sqlite: ${patch.name} (${(body.length / 1024).toFixed(1)} kB)`,
        requestsPerSec: COUNT / ((performance.now() - start) / 1000),
        p50: latency.p50,
        p99: latency.p99,
        non2xx: unexpected,
        rssMb: server.rssMb(),
      });
    }
  } finally {
    await server.stop();
  }
  return { rows, ratios: {} };
}
