import { measure, type LoadResult } from '../lib/load.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startKeyward,
  startMinimal,
  startOidcProvider,
  type RunningServer,
} from '../lib/servers.js';
import type { BenchRow } from '../lib/report.js';

const form = new URLSearchParams({
  grant_type: 'client_credentials',
  client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET,
}).toString();

async function tokenLoad(server: RunningServer, path = '/oauth/token'): Promise<BenchRow> {
  const check = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  if (check.status !== 200)
    throw new Error(`${server.name}: token request answered ${check.status} ${await check.text()}`);
  const result: LoadResult = await measure({
    url: server.url + path,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  return { scenario: 'token', server: server.name, ...result, rssMb: server.rssMb() };
}

async function withServer<T>(
  start: () => Promise<RunningServer>,
  run: (s: RunningServer) => Promise<T>,
): Promise<T> {
  const server = await start();
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

/** client_credentials: Keyward vs node-oidc-provider (JWT, opaque) vs the minimal route. */
export async function tokenScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const rows: BenchRow[] = [];
  rows.push(await withServer(startMinimal, (s) => tokenLoad(s)));
  rows.push(
    await withServer(
      () => startKeyward(),
      (s) => tokenLoad(s),
    ),
  );
  const peers = process.env.BENCH_SKIP_PEER ? [] : (['jwt', 'opaque'] as const);
  for (const format of peers)
    rows.push(
      await withServer(
        () => startOidcProvider(format),
        (s) => tokenLoad(s, '/token'),
      ),
    );
  const rps = (name: string) => rows.find((r) => r.server.startsWith(name))?.requestsPerSec ?? NaN;
  return {
    rows,
    ratios: {
      'keyward / minimal route': rps('keyward') / rps('minimal'),
      'keyward / oidc-provider (jwt)': rps('keyward') / rps('oidc-provider (jwt)'),
      'keyward / oidc-provider (opaque)': rps('keyward') / rps('oidc-provider (opaque)'),
    },
  };
}

/**
 * An authenticated management GET (Bearer JWT, revocation check on) against the minimal token
 * route (the "minimal route") and, for scale, a bare Fastify GET.
 */
export async function mgmtGetScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const rows: BenchRow[] = [];
  rows.push(
    await withServer(startMinimal, async (s) => {
      const token = await tokenLoad(s);
      const hello = {
        scenario: 'mgmt-get',
        server: s.name + ' GET /hello',
        ...(await measure({ url: `${s.url}/hello` })),
        rssMb: s.rssMb(),
      };
      rows.push({ ...token, scenario: 'mgmt-get', server: s.name + ' POST /oauth/token' });
      return hello;
    }),
  );
  rows.push(
    await withServer(
      () => startKeyward(),
      async (s) => {
        const res = await fetch(`${s.url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
        const { access_token } = (await res.json()) as { access_token: string };
        const url = `${s.url}/v1/organizations`;
        const headers = { authorization: `Bearer ${access_token}` };
        const check = await fetch(url, { headers });
        if (check.status !== 200) throw new Error(`mgmt GET answered ${check.status}`);
        return {
          scenario: 'mgmt-get',
          server: 'keyward GET /v1/organizations',
          ...(await measure({ url, headers })),
          rssMb: s.rssMb(),
        };
      },
    ),
  );
  const rps = (suffix: string) => rows.find((r) => r.server.endsWith(suffix))!.requestsPerSec;
  return {
    rows,
    ratios: {
      'keyward mgmt GET / minimal token route': rps('GET /v1/organizations') / rps('POST /oauth/token'),
      'keyward mgmt GET / bare Fastify GET': rps('GET /v1/organizations') / rps('GET /hello'),
    },
  };
}
