/**
 * What the revocation check costs an authenticated management GET (issue 6: ≤ 5 % over no check).
 *
 * Over HTTP, GET /v1/organizations with a Bearer token against two Keyward processes (SQLite),
 * measured alternately: (a) no revoked tokens; (b) 10,000 revoked, unexpired tokens in token_grants
 * (100 revoked through /oauth/revoke, the rest written as the same rows while the server was
 * stopped), loaded into the in-memory set at start.
 * In process: the check itself (`await check(claims)` as the authenticator runs it, with 0 and
 * 10,000 revoked jtis) against the same loop with no check, related to the measured time per
 * request: that is the overhead "over no check", which HTTP alone cannot isolate from noise.
 *
 * BENCH_REVOKED (default 10000) sets how many tokens are revoked, BENCH_ROUNDS (default 4) the rounds.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { AccessTokenClaims } from '../../src/domain/tokens/accessTokens.js';
import { TokenRevocations } from '../../src/domain/grants/revocations.js';
import type { ChangeFeed, ChangeListener } from '../../src/store/changeFeed.js';
import type { Database } from '../../src/store/schema.js';
import { openStore } from '../../src/store/db.js';
import { newId } from '../../src/platform/ids.js';
import { measure } from '../lib/load.js';
import type { BenchRow } from '../lib/report.js';
import { CLIENT_ID, CLIENT_SECRET, startKeyward, type RunningServer } from '../lib/servers.js';

const REVOKED = Number(process.env.BENCH_REVOKED ?? 10_000);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const credentials = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET };

async function machineToken(url: string): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: FORM,
    body: new URLSearchParams({ grant_type: 'client_credentials', ...credentials }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Issues and revokes `count` tokens through the real endpoints, 20 at a time; returns one of them. */
async function revokeMany(url: string, count: number): Promise<string> {
  let next = 0;
  let sample = '';
  const worker = async () => {
    while (next < count) {
      next++;
      const token = await machineToken(url);
      const res = await fetch(`${url}/oauth/revoke`, {
        method: 'POST',
        headers: FORM,
        body: new URLSearchParams({ token, ...credentials }),
      });
      if (res.status !== 200) throw new Error(`revoke: ${res.status} ${await res.text()}`);
      sample = token;
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  return sample;
}

async function getRow(server: RunningServer, label: string, token: string): Promise<BenchRow> {
  const url = `${server.url}/v1/organizations`;
  const headers = { authorization: `Bearer ${token}` };
  const check = await fetch(url, { headers });
  if (check.status !== 200) throw new Error(`mgmt GET answered ${check.status}`);
  return {
    scenario: 'revocation-check',
    server: `keyward GET /v1/organizations, ${label}`,
    ...(await measure({ url, headers })),
    rssMb: server.rssMb(),
  };
}

/** ns per authenticated request spent in the bearer checks, run exactly as the authenticator runs them. */
async function checkCostNs(revoked: number, withCheck: boolean): Promise<number> {
  let listener: ChangeListener = () => {};
  const feed: ChangeFeed = {
    publish: async () => {},
    subscribe: (l) => void (listener = l),
    close: async () => {},
  };
  const revocations = new TokenRevocations({} as Kysely<Database>, feed);
  const exp = Date.now() + 3_600_000;
  for (let i = 0; i < revoked; i++)
    listener('revoked-jti', `${randomBytes(16).toString('base64url')} ${exp}`);
  const claims = {
    jti: randomBytes(16).toString('base64url'),
    client_id: CLIENT_ID,
    org: 'org',
    iat: Math.floor(Date.now() / 1000),
  } as AccessTokenClaims;
  const checks: ((c: AccessTokenClaims) => void)[] = withCheck ? [(c) => revocations.check(c)] : [];
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) for (const check of checks) await check(claims);
  };
  await run(200_000); // warm-up
  const n = 2_000_000;
  const start = process.hrtime.bigint();
  await run(n);
  const ns = Number(process.hrtime.bigint() - start) / n;
  revocations.close();
  return ns;
}

/** Writes `count` revoked, unexpired access-token rows (as /oauth/revoke leaves them) into a stopped server's SQLite file. */
async function insertRevokedRows(dataDir: string, count: number): Promise<void> {
  const store = openStore({ kind: 'sqlite', file: join(dataDir, 'keyward.db') });
  const org = await store.db
    .selectFrom('organizations')
    .select('id')
    .where('code', '=', 'root')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  await store.db.transaction().execute(async (trx) => {
    for (let done = 0; done < count; done += 500) {
      const values = Array.from({ length: Math.min(500, count - done) }, () => ({
        id: newId(now),
        org_id: org.id,
        client_id: CLIENT_ID,
        person_id: null,
        type: 'access',
        parent_id: null,
        family_id: null,
        token_hash: null,
        jti: randomBytes(16).toString('base64url'),
        scope: 'spark-admin:organizations_read',
        auth_time: null,
        created_at: now,
        expires_at: now + 3_600_000,
        rotated_at: null,
        revoked_at: now,
      }));
      await trx.insertInto('token_grants').values(values).execute();
    }
  });
  await store.close();
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function revocationCheckScenario(): Promise<{
  rows: BenchRow[];
  ratios: Record<string, number>;
}> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
  const env = { KEYWARD_ISSUER: 'http://keyward-bench.test' };
  const plainDir = mkdtempSync(join(tmpdir(), 'keyward-bench-plain-'));
  const revokedDir = mkdtempSync(join(tmpdir(), 'keyward-bench-revoked-'));
  const servers: RunningServer[] = [];
  const rows: BenchRow[] = [];
  const through = 100; // revoked through the real endpoint; the rest written as the same rows
  try {
    const first = await startKeyward({ dataDir: revokedDir, env });
    servers.push(first);
    const revokedSample = await revokeMany(first.url, through);
    await first.stop();
    servers.pop();
    await insertRevokedRows(revokedDir, REVOKED - through);
    const revoked = await startKeyward({ dataDir: revokedDir, env }); // loads the set from the table
    servers.push(revoked);
    const plain = await startKeyward({ dataDir: plainDir, env });
    servers.push(plain);
    const refused = await fetch(`${revoked.url}/v1/organizations`, {
      headers: { authorization: `Bearer ${revokedSample}` },
    });
    const reason = await refused.text();
    if (refused.status !== 401 || !/revoked/.test(reason))
      throw new Error(`a revoked token answered ${refused.status} ${reason}`);
    const plainToken = await machineToken(plain.url);
    const revokedToken = await machineToken(revoked.url);
    // Alternate the two servers (and which goes first) so drift on a shared machine hits both alike.
    for (let r = 1; r <= rounds; r++) {
      const pair = [
        () => getRow(plain, `round ${r}: no revoked tokens`, plainToken),
        () => getRow(revoked, `round ${r}: ${REVOKED} revoked tokens in the table`, revokedToken),
      ];
      for (const measureOne of r % 2 ? pair : pair.reverse()) rows.push(await measureOne());
    }
  } finally {
    for (const s of servers) await s.stop();
    rmSync(plainDir, { recursive: true, force: true });
    rmSync(revokedDir, { recursive: true, force: true });
  }
  const none = await checkCostNs(0, false);
  const empty = await checkCostNs(0, true);
  const full = await checkCostNs(REVOKED, true);
  console.log(
    `in-process bearer checks per request: no check ${none.toFixed(1)} ns · check, 0 revoked ${empty.toFixed(1)} ns · check, ${REVOKED} revoked ${full.toFixed(1)} ns\n`,
  );
  const rpsOf = (revokedRows: boolean) =>
    mean(
      rows.filter((r) => r.server.includes('revoked tokens in') === revokedRows).map((r) => r.requestsPerSec),
    );
  const plainRps = rpsOf(false);
  const revokedRps = rpsOf(true);
  return {
    rows,
    ratios: {
      [`mgmt GET req/s, ${REVOKED} revoked / none (mean of ${rounds} rounds)`]: revokedRps / plainRps,
      [`revocation check overhead over no check, % of a request (${REVOKED} revoked)`]:
        ((full - none) / (1e9 / revokedRps)) * 100,
    },
  };
}
