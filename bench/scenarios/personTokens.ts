import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import { hashSecret } from '../../src/platform/crypto/secrets.js';
import { newId } from '../../src/platform/ids.js';
import { hashPassword } from '../../src/domain/people/passwords.js';
import { openStore } from '../../src/store/db.js';
import { FormBrowser, signInAndConsent } from '../../test/support/formBrowser.js';
import { measure } from '../lib/load.js';
import type { BenchRow } from '../lib/report.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startKeyward,
  startOidcProvider,
  type RunningServer,
} from '../lib/servers.js';

const REDIRECT = 'http://127.0.0.1:9/cb';
const APP_ID = 'bench-app';
const APP_SECRET = randomBytes(32).toString('base64url');
const EMAIL = 'bench@example.test';
const PASSWORD = 'bench password 123';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Writes the application and person straight into the server's SQLite file. */
async function seed(dataDir: string): Promise<void> {
  const store = openStore({ kind: 'sqlite', file: join(dataDir, 'keyward.db') });
  const org = await store.db
    .selectFrom('organizations')
    .select('id')
    .where('code', '=', 'root')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  await store.db
    .insertInto('oauth_clients')
    .values({
      id: APP_ID,
      org_id: org.id,
      secret_hash: hashSecret(APP_SECRET),
      name: 'Bench app',
      description: null,
      business_name: null,
      homepage_url: null,
      type: 'CONFIDENTIAL',
      access_type: 'OFFLINE',
      grant_types: JSON.stringify(['AUTHORIZATION_CODE', 'REFRESH_TOKEN']),
      redirect_uris: JSON.stringify([REDIRECT]),
      scope: JSON.stringify(['spark-admin:organizations_read']),
      roles: '[]',
      access_token_ttl: 3600,
      refresh_token_ttl: 86_400,
      internal: 0,
      enabled: 1,
      strong_auth_supported: 0,
      claims_supported: 0,
      metadata: null,
      created_by: 'bench',
      created_at: now,
      updated_at: now,
      last_used_at: null,
    })
    .execute();
  await store.db
    .insertInto('people')
    .values({
      id: newId(),
      org_id: org.id,
      email: EMAIL,
      display_name: 'Bench',
      first_name: null,
      last_name: null,
      password_hash: await hashPassword(PASSWORD),
      roles: '[]',
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await store.close();
}

/** Runs the code flow `n` times in one browser (consent remembered) and returns the token responses. */
async function personTokens(
  server: RunningServer,
  n: number,
): Promise<{ access_token: string; refresh_token: string }[]> {
  const browser = new FormBrowser();
  const out = [];
  for (let i = 0; i < n; i++) {
    const verifier = randomBytes(32).toString('base64url');
    const url = `${server.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: APP_ID, redirect_uri: REDIRECT, scope: 'openid spark-admin:organizations_read', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' })}`;
    const back = await signInAndConsent(browser, url, EMAIL, PASSWORD);
    const res = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: APP_ID,
        client_secret: APP_SECRET,
      }),
    });
    out.push((await res.json()) as { access_token: string; refresh_token: string });
  }
  return out;
}

async function withSeededKeyward<T>(run: (s: RunningServer) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
  const server = await startKeyward({ dataDir });
  try {
    await seed(dataDir);
    return await run(server);
  } finally {
    await server.stop();
  }
}

/**
 * refresh_token grant with rotation. autocannon resets its per-connection context after every
 * request, so the live refresh tokens wait in one queue: a request takes one, its response puts
 * the successor back. Twice as many chains as connections keep the queue from running dry.
 */
export async function refreshScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const connections = 50;
  const row = await withSeededKeyward(async (s) => {
    const queue = (await personTokens(s, connections * 2)).map((t) => t.refresh_token);
    const result = await measure({
      url: `${s.url}/oauth/token`,
      method: 'POST',
      headers: FORM,
      connections,
      warmupSeconds: 0,
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            body: new URLSearchParams({
              grant_type: 'refresh_token',
              refresh_token: queue.shift() ?? 'queue-ran-dry',
              client_id: APP_ID,
              client_secret: APP_SECRET,
            }).toString(),
          }),
          onResponse: (status: number, body: string) => {
            if (status === 200) queue.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
          },
        },
      ],
    });
    return { scenario: 'refresh', server: 'keyward (rotation, SQLite)', ...result, rssMb: s.rssMb() };
  });
  return { rows: [row], ratios: {} };
}

/** RFC 7662 introspection of a live person access token by its client. */
export async function introspectScenario(): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const row = await withSeededKeyward(async (s) => {
    const [tokens] = await personTokens(s, 1);
    const body = new URLSearchParams({
      token: tokens!.access_token,
      client_id: APP_ID,
      client_secret: APP_SECRET,
    }).toString();
    const check = await fetch(`${s.url}/oauth/introspect`, { method: 'POST', headers: FORM, body });
    if (!((await check.json()) as { active: boolean }).active) throw new Error('introspection says inactive');
    const result = await measure({ url: `${s.url}/oauth/introspect`, method: 'POST', headers: FORM, body });
    return { scenario: 'introspect', server: 'keyward (SQLite)', ...result, rssMb: s.rssMb() };
  });
  // The peer introspects its own opaque client_credentials token (its in-memory adapter).
  const peer = await startOidcProvider('opaque');
  let peerRow: BenchRow;
  try {
    const creds = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    const issued = await fetch(`${peer.url}/token`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ grant_type: 'client_credentials', ...creds }),
    });
    const { access_token } = (await issued.json()) as { access_token: string };
    const body = new URLSearchParams({ token: access_token, ...creds }).toString();
    const check = await fetch(`${peer.url}/token/introspection`, { method: 'POST', headers: FORM, body });
    if (!((await check.json()) as { active: boolean }).active)
      throw new Error('peer introspection says inactive');
    const result = await measure({
      url: `${peer.url}/token/introspection`,
      method: 'POST',
      headers: FORM,
      body,
    });
    peerRow = {
      scenario: 'introspect',
      server: 'oidc-provider (opaque, in-memory)',
      ...result,
      rssMb: peer.rssMb(),
    };
  } finally {
    await peer.stop();
  }
  return {
    rows: [row, peerRow],
    ratios: { 'keyward / oidc-provider introspection': row.requestsPerSec / peerRow.requestsPerSec },
  };
}
