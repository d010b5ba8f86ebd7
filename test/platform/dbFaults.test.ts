/**
 * Issue 14, findings 1 and 3: database connection faults on PostgreSQL. Faults are driven only on
 * this test's own connections (pg_terminate_backend by application_name) or through a TCP proxy
 * on 127.0.0.1; the shared server is never touched otherwise.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { freshDatabase, PG_URL, startKeyward, TEST_DB, type Harness } from '../support/harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';

const skip = TEST_DB !== 'postgres' ? 'PostgreSQL only' : false;
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** Terminates this test's own backends (by exact application_name); returns how many. */
export async function terminateBackends(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    return rows.filter((r) => r.ok).length;
  } finally {
    await admin.end();
  }
}

/** Management routes of two families and how each renders a 503 (their own error shape). */
const ROUTES = [
  {
    url: '/v1/organizations',
    shape: (b: any) => typeof b.message === 'string' && b.errors?.[0]?.errorCode === 503 && !!b.trackingId,
  },
  {
    url: '/v3/oauth-clients',
    shape: (b: any) => typeof b.detailCode === 'string' && b.messages?.[0]?.text && !!b.trackingId,
  },
];

async function get(h: Harness, url: string, token: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
}

/** Every answer is a success or a clean 503 in the route's family shape, never a 500. */
function assertCleanAnswers(answers: { status: number; body: any }[], shape: (b: any) => boolean) {
  for (const a of answers) {
    assert.ok([200, 503].includes(a.status), `unexpected ${a.status}: ${JSON.stringify(a.body)}`);
    if (a.status === 503)
      assert.ok(shape(a.body), `503 not in the family's shape: ${JSON.stringify(a.body)}`);
  }
}

async function eventually(what: string, probe: () => Promise<boolean>, deadlineMs = 15_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`not within ${deadlineMs} ms: ${what}`);
}

describe('database connection faults (PostgreSQL)', { skip }, () => {
  it('terminated pooled connections (idle and in use) are survived: clean 503s, then served again', async () => {
    const applicationName = `keyward-${randomBytes(6).toString('hex')}`;
    const h = await startKeyward({ env: { KEYWARD_DB_APPLICATION_NAME: applicationName } });
    cleanups.push(() => h.close());
    const token = await h.token();
    for (const route of ROUTES) {
      // Several pooled connections, idle now: killing them used to kill the process.
      await Promise.all(Array.from({ length: 6 }, () => get(h, route.url, token)));
      assert.ok((await terminateBackends(applicationName)) >= 1, 'no backend of ours to terminate');
      await eventually(`${route.url} served after idle connections died`, async () => {
        const a = await get(h, route.url, token);
        assertCleanAnswers([a], route.shape);
        return a.status === 200;
      });
      // Connections dying under requests in flight.
      const inFlight = Array.from({ length: 20 }, () => get(h, route.url, token));
      await terminateBackends(applicationName);
      assertCleanAnswers(await Promise.all(inFlight), route.shape);
      await eventually(`${route.url} served after in-use connections died`, async () => {
        return (await get(h, route.url, token)).status === 200;
      });
    }
    assert.equal((await h.app.inject({ url: '/readyz' })).statusCode, 200);
  });

  it('a blackholed or resetting database: /readyz answers 503, requests get clean 503s, then recovery', async () => {
    const fresh = await freshDatabase();
    cleanups.push(() => fresh.drop());
    const proxy: TcpProxy = await startTcpProxy(Number(new URL(PG_URL).port || 5432));
    cleanups.push(() => proxy.close());
    const database = fresh.database as { kind: 'postgres'; url: string; schema?: string };
    const h = await startKeyward({
      database: { ...database, url: proxy.url(PG_URL) },
      env: {
        KEYWARD_DB_CONNECT_TIMEOUT_MS: '1000',
        KEYWARD_DB_STATEMENT_TIMEOUT_MS: '1000',
        KEYWARD_DB_ACQUIRE_TIMEOUT_MS: '1000',
      },
    });
    cleanups.unshift(() => h.close()); // before the proxy and the schema go
    const token = await h.token();
    const ready = async () => (await h.app.inject({ url: '/readyz' })).statusCode;
    assert.equal(await ready(), 200);

    for (const mode of ['blackhole', 'reset'] as const) {
      proxy.setMode(mode);
      // Without timeouts both of these hung for as long as the network stayed silent.
      assert.equal(await ready(), 503, `/readyz during ${mode}`);
      for (const route of ROUTES) {
        const answers = await Promise.all(Array.from({ length: 3 }, () => get(h, route.url, token)));
        assertCleanAnswers(answers, route.shape);
        assert.ok(
          answers.some((a) => a.status === 503),
          `${route.url} during ${mode}: ${answers.map((a) => a.status)}`,
        );
        const failed = answers.find((a) => a.status === 503)!;
        assert.equal(failed.headers['retry-after'], '1');
      }
      proxy.setMode('pass');
      await eventually(`/readyz after ${mode}`, async () => (await ready()) === 200);
      for (const route of ROUTES) {
        await eventually(`${route.url} after ${mode}`, async () => {
          return (await get(h, route.url, token)).status === 200;
        });
      }
    }
  });
});
