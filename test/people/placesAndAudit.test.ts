import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { adminClient, callerWith, type Caller } from '../support/tenants.js';
import { newPerson, personWithRoles } from './support.js';

describe('Webex locations, workspaces and the admin audit log', () => {
  let k: Harness;
  let admin: Caller;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    admin = callerWith(k, await k.token());
  });
  after(() => k.close());

  it('locations: create, list (name contains, paging), get, update; bad input', async () => {
    const hq = await admin('POST', '/v1/locations', {
      name: 'Head Office',
      address: { address1: '1 Main St', city: 'Espoo', postalCode: '02100', country: 'FI' },
      timeZone: 'Europe/Helsinki',
      preferredLanguage: 'en_us',
    });
    assert.equal(hq.status, 200, JSON.stringify(hq.body));
    assert.deepEqual(Object.keys(hq.body).sort(), ['address', 'id', 'name', 'orgId', 'timeZone']);
    const branch = await admin('POST', '/v1/locations', {
      name: 'Branch',
      address: { city: 'Turku', country: 'FI' },
    });
    assert.equal((await admin('POST', '/v1/locations', { name: 'head office', address: {} })).status, 409);
    assert.equal((await admin('POST', '/v1/locations', { name: ' ', address: {} })).status, 400);
    assert.equal(
      (await admin('POST', '/v1/locations', { name: 'X', address: { country: 'Finland' } })).status,
      400,
    );
    assert.equal((await admin('POST', '/v1/locations', { name: 'X' })).status, 400);
    assert.equal((await admin('GET', '/v1/locations?name=OFFICE')).body.items[0].id, hq.body.id);
    const page = await admin('GET', '/v1/locations?max=1');
    assert.equal(page.body.items.length, 1);
    assert.match(
      String(page.headers.link),
      /^<http:\/\/[^>]+\/v1\/locations\?max=1&cursor=[^>]+>; rel="next"$/,
    );
    assert.equal((await admin('GET', `/v1/locations/${branch.body.id}`)).body.name, 'Branch');
    const put = await admin('PUT', `/v1/locations/${branch.body.id}`, {
      name: 'Branch West',
      address: { city: 'Turku', country: 'FI' },
    });
    assert.equal(put.body.name, 'Branch West');
    assert.equal(
      (await admin('PUT', `/v1/locations/${branch.body.id}`, { name: 'Head Office', address: {} })).status,
      409,
    );
    assert.equal((await admin('GET', '/v1/locations/01zzzzzzzzzzzzzzzzzzzzzzzz')).status, 404);
    const ro = callerWith(k, (await personWithRoles(k, ['read_only_admin'])).token);
    assert.equal((await ro('GET', '/v1/locations')).status, 200);
    assert.equal((await ro('POST', '/v1/locations', { name: 'RO', address: {} })).status, 403);
  });

  it('workspaces: create (at a location of the org), list, get, delete; device admins write', async () => {
    const loc = (await admin('GET', '/v1/locations?name=head')).body.items[0];
    const da = callerWith(k, (await adminClient(k, k.admin.orgId, ['device_admin'])).token);
    const room = await da('POST', '/v1/workspaces', { displayName: 'Room 1', locationId: loc.id });
    assert.equal(room.status, 200, JSON.stringify(room.body));
    assert.equal(room.body.locationId, loc.id);
    const bare = await admin('POST', '/v1/workspaces', { displayName: 'Lobby' });
    assert.equal(bare.body.locationId, undefined);
    assert.equal(
      (await admin('POST', '/v1/workspaces', { displayName: 'X', locationId: '01zzzzzzzzzzzzzzzzzzzzzzzz' }))
        .status,
      400,
    );
    assert.equal((await admin('POST', '/v1/workspaces', { displayName: '' })).status, 400);
    assert.deepEqual(
      (await admin('GET', `/v1/workspaces?locationId=${loc.id}`)).body.items.map((w: any) => w.id),
      [room.body.id],
    );
    assert.equal((await admin('GET', '/v1/workspaces?displayName=LOB')).body.items[0].id, bare.body.id);
    assert.equal((await admin('GET', `/v1/workspaces/${room.body.id}`)).body.displayName, 'Room 1');
    const ua = callerWith(k, (await adminClient(k, k.admin.orgId, ['user_admin'])).token);
    assert.equal((await ua('DELETE', `/v1/workspaces/${room.body.id}`)).status, 403);
    assert.equal((await da('DELETE', `/v1/workspaces/${room.body.id}`)).status, 204);
    assert.equal((await admin('GET', `/v1/workspaces/${room.body.id}`)).status, 404);
  });

  it('every write is in the audit log; admins page through it newest first with from/to', async () => {
    const p = (await admin('POST', '/v1/people', newPerson())).body;
    await admin('PUT', `/v1/people/${p.id}`, newPerson({ displayName: 'Changed' }));
    await admin('DELETE', `/v1/people/${p.id}`);
    const all = await admin('GET', '/v1/adminAudit/events?max=1000');
    assert.equal(all.status, 200);
    const mine = all.body.items.filter((e: any) => e.target === `person:${p.id}`);
    assert.deepEqual(
      mine.map((e: any) => e.action),
      ['person.delete', 'person.update', 'person.create'],
    );
    assert.equal(mine[0].actorId, `client:${k.admin.clientId}`);
    assert.equal(mine[0].orgId, k.admin.orgId);
    const actions = new Set(all.body.items.map((e: any) => e.action));
    for (const a of ['location.create', 'location.update', 'workspace.create', 'workspace.delete'])
      assert.ok(actions.has(a), a);

    // Paging with Link, max=2, collects the same events in the same order.
    const collected: string[] = [];
    let url: string | undefined = '/v1/adminAudit/events?max=2';
    while (url) {
      const res = await admin('GET', url);
      collected.push(...res.body.items.map((e: any) => e.id));
      const link = res.headers.link as string | undefined;
      url = link
        ? new URL(/<([^>]+)>/.exec(link)![1]!).pathname + new URL(/<([^>]+)>/.exec(link)![1]!).search
        : undefined;
    }
    assert.deepEqual(
      collected,
      all.body.items.map((e: any) => e.id),
    );

    const created = Date.parse(mine[2].created);
    const window = await admin(
      'GET',
      `/v1/adminAudit/events?from=${new Date(created).toISOString()}&to=${new Date(created + 1).toISOString()}`,
    );
    assert.ok(window.body.items.some((e: any) => e.id === mine[2].id));
    assert.ok(window.body.items.every((e: any) => Date.parse(e.created) === created));
    assert.equal((await admin('GET', '/v1/adminAudit/events?from=yesterday')).status, 400);
    assert.equal(
      (await admin('GET', '/v1/adminAudit/events?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z')).status,
      400,
    );
    assert.equal((await admin('GET', '/v1/adminAudit/events?max=0')).status, 400);

    const ro = callerWith(k, (await personWithRoles(k, ['read_only_admin'])).token);
    const asRo = await ro('GET', '/v1/adminAudit/events?max=1');
    assert.equal(asRo.status, 403, 'the person token lacks audit:events_read');
    const roClient = callerWith(k, (await adminClient(k, k.admin.orgId, ['read_only_admin'])).token);
    assert.equal((await roClient('GET', '/v1/adminAudit/events?max=1')).status, 200);
    const uaClient = callerWith(k, (await adminClient(k, k.admin.orgId, ['user_admin'])).token);
    assert.equal((await uaClient('GET', '/v1/adminAudit/events')).status, 403);
  });

  it('rate-limits the Webex family per client: 429 with Retry-After in the Webex shape', async () => {
    const limited = await startKeyward({
      env: { KEYWARD_RATE_LIMIT_MAX: '3', KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '60' },
    });
    try {
      const call = callerWith(limited, await limited.token());
      for (let i = 0; i < 3; i++) assert.equal((await call('GET', '/v1/people')).status, 200);
      const refused = await call('GET', '/v1/people');
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.equal(typeof refused.body.message, 'string');
      assert.equal(refused.body.errors[0].description, refused.body.message);
      assert.equal(typeof refused.body.trackingId, 'string');
    } finally {
      await limited.close();
    }
  });
});
