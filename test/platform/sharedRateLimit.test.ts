/**
 * Rate limits shared by all nodes (issue 14): two Keyward instances on one database and one Redis
 * (a key prefix of their own) share one per-client budget; without KEYWARD_REDIS_URL each node
 * counts alone; Redis unreachable or silent never fails nor holds a request.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';

const REDIS_URL = process.env.KEYWARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = { KEYWARD_RATE_LIMIT_MAX: '4', KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '60' };

async function twoNodes(env: Record<string, string>): Promise<[Harness, Harness]> {
  const a = await startKeyward({ env: { ...LIMIT, ...env } });
  const b = await startKeyward({ database: a.config.database, env: { ...LIMIT, ...env } });
  return [a, b];
}

function get(k: Harness, url: string, token: string) {
  return k.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
}

describe('rate limits in Redis: global across nodes', () => {
  let a: Harness;
  let b: Harness;
  before(async () => {
    [a, b] = await twoNodes({
      KEYWARD_REDIS_URL: REDIS_URL,
      KEYWARD_REDIS_PREFIX: `kwtest:${randomBytes(6).toString('hex')}:`,
    });
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  it('requests alternating between two nodes share one budget; each family answers 429 in its shape', async () => {
    const token = await a.token();
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await get(i % 2 ? b : a, '/v1/organizations', token)).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 200]);
    const webex = await get(b, '/v1/organizations', token);
    assert.equal(webex.statusCode, 429);
    assert.equal(webex.json().trackingId, webex.headers['trackingid'], 'Webex error shape');
    const retryAfter = Number(webex.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    const sailpoint = await get(a, '/v3/oauth-clients', token);
    assert.equal(sailpoint.statusCode, 429);
    assert.deepEqual(Object.keys(sailpoint.json()), ['message']);
    assert.ok(Number(sailpoint.headers['retry-after']) >= 1);
  });
});

describe('rate limits without Redis: per node', () => {
  let a: Harness;
  let b: Harness;
  before(async () => ([a, b] = await twoNodes({})));
  after(async () => {
    await b.close();
    await a.close();
  });

  it('each node allows the full budget on its own', async () => {
    const token = await a.token();
    for (const node of [a, b]) {
      for (let i = 0; i < 4; i++) assert.equal((await get(node, '/v1/organizations', token)).statusCode, 200);
      assert.equal((await get(node, '/v1/organizations', token)).statusCode, 429);
    }
  });
});

/** A TCP server that accepts connections and never answers (a hung Redis). */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `redis://127.0.0.1:${port}`;
}

for (const [name, redis] of [
  ['refused (nothing listens)', async () => ({ url: await closedPortUrl(), close: async () => {} })],
  ['silent (accepts, never answers)', silentServer],
] as const) {
  describe(`Redis ${name}: requests are served, limited per node`, () => {
    let k: Harness;
    let server: { url: string; close(): Promise<void> };
    before(async () => {
      server = await redis();
      k = await startKeyward({ env: { ...LIMIT, KEYWARD_REDIS_URL: server.url } });
    });
    after(async () => {
      await k.close();
      await server.close();
    });

    it('answers every request, and the local limit still applies', async () => {
      const token = await k.token();
      for (let i = 0; i < 4; i++) assert.equal((await get(k, '/v1/organizations', token)).statusCode, 200);
      const refused = await get(k, '/v1/organizations', token);
      assert.equal(refused.statusCode, 429);
      assert.ok(Number(refused.headers['retry-after']) >= 1);
    });
  });
}
