/**
 * Issue 14, finding 2: two nodes on one PostgreSQL schema. A revocation made on node B while node
 * A's LISTEN connection is down must still reach A: A reloads once LISTEN is back, and every
 * reconcile interval regardless.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { PG_URL, startKeyward, TEST_DB, type Harness } from '../support/harness.js';

const skip = TEST_DB !== 'postgres' ? 'PostgreSQL only' : false;
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups) await c().catch(() => {});
});

async function adminQuery(text: string, values: unknown[]) {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    return (await admin.query(text, values)).rows;
  } finally {
    await admin.end();
  }
}

const backends = (name: string) =>
  adminQuery('select pid from pg_stat_activity where application_name = $1', [name]);

async function eventually(what: string, probe: () => Promise<boolean>, deadlineMs = 15_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`not within ${deadlineMs} ms: ${what}`);
}

const status = async (h: Harness, token: string) =>
  (
    await h.app.inject({
      method: 'GET',
      url: '/v1/organizations',
      headers: { authorization: `Bearer ${token}` },
    })
  ).statusCode;

async function revokeOn(h: Harness, owner: Harness, token: string) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/oauth/revoke',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      token,
      client_id: owner.admin.clientId,
      client_secret: owner.admin.clientSecret,
    }).toString(),
  });
  assert.equal(res.statusCode, 200, res.body);
}

/** Delays every `LISTEN` query of this process until `open()`; `held()` once one waits. */
function holdListen() {
  const original = pg.Client.prototype.query;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let held = false;
  pg.Client.prototype.query = function (this: pg.Client, ...args: any[]) {
    if (typeof args[0] === 'string' && args[0].startsWith('LISTEN ')) {
      held = true;
      return opened.then(() => (original as any).apply(this, args));
    }
    return (original as any).apply(this, args);
  } as any;
  const restore = () => (pg.Client.prototype.query = original);
  cleanups.unshift(async () => restore());
  return {
    held: async () => held,
    open() {
      restore();
      open();
    },
  };
}

/** Node A (own application_name) and node B on A's schema. */
async function twoNodes(envA: Record<string, string>) {
  const name = `keyward-${randomBytes(6).toString('hex')}`;
  const a = await startKeyward({ env: { KEYWARD_DB_APPLICATION_NAME: name, ...envA } });
  const b = await startKeyward({ database: a.config.database });
  cleanups.unshift(() => a.close());
  cleanups.unshift(() => b.close());
  return { a, b, feedName: `${name}-feed` };
}

describe('change feed under faults (PostgreSQL)', { skip }, () => {
  it('a token revoked on B while A has lost LISTEN is refused by A once LISTEN is back', async () => {
    // Reconcile far away: only the reload after LISTEN can make A see the revocation in time.
    const { a, b, feedName } = await twoNodes({ KEYWARD_RECONCILE_INTERVAL_MS: '60000' });
    const token = await a.token();
    assert.equal(await status(a, token), 200);
    const [listener] = await backends(feedName);
    assert.ok(listener, "node A's LISTEN connection");
    const reconnectsBefore = a.services.feed.reconnects ?? 0;

    // Hold A's next LISTEN until B has revoked: the gap, made certain instead of raced.
    const gate = holdListen();
    await adminQuery('select pg_terminate_backend($1)', [listener.pid]);
    await eventually('A is reconnecting (LISTEN held)', async () => gate.held());
    await revokeOn(b, a, token);
    assert.equal(await status(a, token), 200, 'A cannot know yet: it is not listening');
    gate.open();

    await eventually(
      'A re-established LISTEN',
      async () => (a.services.feed.reconnects ?? 0) > reconnectsBefore,
    );
    await eventually('A refuses the revoked token', async () => (await status(a, token)) === 401);
    // And A hears B again over the new LISTEN connection.
    const second = await a.token();
    assert.equal(await status(a, second), 200);
    await revokeOn(b, a, second);
    await eventually(
      'A refuses a token revoked after reconnecting',
      async () => (await status(a, second)) === 401,
    );
  });

  it('a revocation whose notification never arrived is picked up by the periodic reconcile', async () => {
    const { a, b } = await twoNodes({ KEYWARD_RECONCILE_INTERVAL_MS: '300' });
    const token = await a.token();
    assert.equal(await status(a, token), 200);
    // B's NOTIFY is lost (as on a failover between commit and notify): its feed publishes nothing.
    b.services.feed.publish = async () => {};
    await revokeOn(b, a, token);
    await eventually('A refuses the token after a reconcile', async () => (await status(a, token)) === 401);
  });
});
