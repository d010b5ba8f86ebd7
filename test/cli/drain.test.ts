/**
 * Issue 14, finding 5: SIGTERM under keep-alive load. A real `keyward serve` child process; 8
 * keep-alive clients loop until the server answers `Connection: close` (as a load balancer stops
 * routing to a node whose /readyz fails). No request may be reset or answered 503, /readyz turns
 * 503 at once, and the process exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from 'undici';
import { freePort, freshDatabase, PG_URL } from '../support/harness.js';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups) await c().catch(() => {});
});

async function startServe(drainMs: number) {
  const fresh = await freshDatabase();
  cleanups.push(() => fresh.drop());
  const port = await freePort();
  const secret = randomBytes(24).toString('base64url');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: {
      ...process.env,
      KEYWARD_PORT: String(port),
      KEYWARD_DATA_DIR: fresh.dataDir,
      KEYWARD_LOG_LEVEL: 'info',
      KEYWARD_SHUTDOWN_DRAIN_MS: String(drainMs),
      // The load is the point here, not the per-client budget (8 clients share one client id).
      KEYWARD_RATE_LIMIT_MAX: '0',
      KEYWARD_BOOTSTRAP_CLIENT_ID: 'drain-test',
      KEYWARD_BOOTSTRAP_CLIENT_SECRET: secret,
      ...(fresh.database.kind === 'postgres'
        ? {
            KEYWARD_DATABASE_URL: PG_URL,
            KEYWARD_DATABASE_SCHEMA: fresh.database.schema!,
            KEYWARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
          }
        : { KEYWARD_DATABASE_URL: `sqlite:${join(fresh.dataDir, 'k.db')}` }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.unshift(async () => child.kill('SIGKILL'));
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (out.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  const base = `http://127.0.0.1:${port}`;
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'drain-test',
      client_secret: secret,
    }),
  });
  assert.equal(res.status, 200);
  const token = ((await res.json()) as { access_token: string }).access_token;
  return { child, exited, base, token, output: () => out };
}

describe('graceful drain on SIGTERM', () => {
  it('8 keep-alive clients under load: zero resets, no 503, /readyz 503 at once, exit 0', async () => {
    const server = await startServe(400);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let sent = 0;
    let closed = 0;

    const worker = async () => {
      // One keep-alive connection per worker, reopened only when the server says Connection: close.
      const client = new Client(server.base, { pipelining: 1, connect: { timeout: 5000 } });
      try {
        for (let i = 0; i < 2000; i++) {
          try {
            const res = await client.request({
              path: '/v1/organizations',
              method: 'GET',
              headers: { authorization: `Bearer ${server.token}` },
            });
            await res.body.dump();
            sent++;
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            // The server is draining: like a load balancer that saw /readyz fail, go elsewhere.
            if (res.headers.connection === 'close') return void closed++;
          } catch (error) {
            const code = (error as { code?: string; cause?: { code?: string } }).code;
            const cause = (error as { cause?: { code?: string } }).cause?.code;
            // The listener is gone: this client is done. Anything else is a reset request.
            if (code === 'ECONNREFUSED' || cause === 'ECONNREFUSED') return;
            failures.push(`${code ?? ''} ${cause ?? ''} ${(error as Error).message}`);
            return;
          }
        }
      } finally {
        await client.close().catch(() => {});
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (sent < 80) await new Promise((r) => setTimeout(r, 20));

    server.child.kill('SIGTERM');
    // Readiness fails while requests are still served (a fresh connection, no keep-alive).
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 503; i++) {
      ready = (await fetch(`${server.base}/readyz`, { headers: { connection: 'close' } })).status;
    }
    assert.equal(ready, 503);

    await Promise.all(workers);
    assert.equal(await server.exited, 0, server.output());
    assert.deepEqual(failures, [], `reset or failed requests after ${sent} answers`);
    assert.deepEqual([...statuses.keys()], [200], JSON.stringify([...statuses]));
    assert.equal(closed, 8, 'every keep-alive client was told Connection: close');
  });
});
