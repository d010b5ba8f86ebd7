import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orgCreate } from '../../src/cli/orgs.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { adminClient, callerWith, partnerAndCustomer, type Caller } from '../support/tenants.js';
import { newPerson } from './support.js';

describe('Webex organizations: partners manage customer orgs', () => {
  let k: Harness;
  let root: Caller;

  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    root = callerWith(k, await k.token());
  });
  after(() => k.close());

  it('a partner full admin creates a customer org and manages its people with orgId', async () => {
    const created = await root('POST', '/v1/organizations', { displayName: 'Acme Customer', code: 'acme' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const customerId = created.body.id;
    assert.equal(created.body.parentId, k.admin.orgId);
    assert.equal(
      (await root('POST', '/v1/organizations', { displayName: 'Again', code: 'acme' })).status,
      409,
    );
    assert.equal(
      (await root('POST', '/v1/organizations', { displayName: 'Bad', code: 'Not Valid!' })).status,
      400,
    );
    const orgs = (await root('GET', '/v1/organizations')).body.items.map((o: any) => o.id);
    assert.ok(orgs.includes(customerId) && orgs.includes(k.admin.orgId));

    const person = await root('POST', '/v1/people', newPerson({ orgId: customerId, roles: ['full_admin'] }));
    assert.equal(person.status, 200);
    assert.equal(person.body.orgId, customerId);
    const own = (await root('GET', '/v1/people')).body.items.map((p: any) => p.id);
    assert.ok(!own.includes(person.body.id), 'without orgId: own org only');
    const theirs = (await root('GET', `/v1/people?orgId=${customerId}`)).body.items.map((p: any) => p.id);
    assert.deepEqual(theirs, [person.body.id]);
    assert.equal((await root('GET', `/v1/people/${person.body.id}`)).status, 200);
    const put = await root(
      'PUT',
      `/v1/people/${person.body.id}`,
      newPerson({ displayName: 'Renamed by partner', roles: ['full_admin'] }),
    );
    assert.equal(put.status, 200);
    assert.equal(put.body.orgId, customerId);
    const location = await root('POST', `/v1/locations?orgId=${customerId}`, {
      name: 'Customer HQ',
      address: { city: 'Oslo', country: 'no' },
    });
    assert.equal(location.status, 200);
    assert.equal(location.body.orgId, customerId);
    assert.equal(location.body.address.country, 'NO');

    // The customer's own admin sees only its org and cannot act upward or create orgs.
    const customer = callerWith(k, (await adminClient(k, customerId)).token);
    assert.deepEqual(
      (await customer('GET', '/v1/organizations')).body.items.map((o: any) => o.id),
      [customerId],
    );
    assert.equal((await customer('GET', `/v1/organizations/${k.admin.orgId}`)).status, 404);
    assert.equal((await customer('GET', `/v1/people?orgId=${k.admin.orgId}`)).status, 400);
    assert.equal((await customer('POST', '/v1/organizations', { displayName: 'Sub customer' })).status, 403);
    assert.deepEqual(
      (await customer('GET', '/v1/people')).body.items.map((p: any) => p.id),
      [person.body.id],
    );
    assert.deepEqual(
      (await customer('GET', '/v1/locations')).body.items.map((l: any) => l.id),
      [location.body.id],
    );
    assert.equal((await root('DELETE', `/v1/people/${person.body.id}`)).status, 204);
  });

  it('only full admins cross into customer orgs; other partner admins and other partners cannot', async () => {
    const { partner, customer } = await partnerAndCustomer(k);
    const userAdmin = callerWith(k, (await adminClient(k, partner.orgId, ['user_admin'])).token);
    assert.equal((await userAdmin('GET', `/v1/people?orgId=${customer.orgId}`)).status, 403);
    assert.equal((await userAdmin('POST', '/v1/people', newPerson({ orgId: customer.orgId }))).status, 403);
    assert.equal((await userAdmin('POST', '/v1/organizations', { displayName: 'X' })).status, 403);
    const inCustomer = await callerWith(k, customer.token)('POST', '/v1/people', newPerson());
    assert.equal((await userAdmin('GET', `/v1/people/${inCustomer.body.id}`)).status, 404);
    assert.equal((await callerWith(k, partner.token)('GET', `/v1/people/${inCustomer.body.id}`)).status, 200);
    // The root partner is not this customer's partner.
    assert.equal((await root('GET', `/v1/people/${inCustomer.body.id}`)).status, 404);
    assert.equal((await root('GET', `/v1/people?orgId=${customer.orgId}`)).status, 400);
  });

  it('a partner pages through its organizations with Link headers, no empty trailing page', async () => {
    const { partner } = await partnerAndCustomer(k);
    const asPartner = callerWith(k, partner.token);
    for (const name of ['Second customer', 'Third customer']) {
      assert.equal((await asPartner('POST', '/v1/organizations', { displayName: name })).status, 201);
    }
    const seen: string[] = [];
    let pages = 0;
    for (let url: string | undefined = '/v1/organizations?max=2'; url; pages++) {
      const res = await asPartner('GET', url);
      assert.equal(res.status, 200);
      seen.push(...res.body.items.map((o: any) => o.displayName));
      const next = /^<([^>]+)>; rel="next"$/.exec(String(res.headers.link ?? ''))?.[1];
      url = next ? next.slice(new URL(next).origin.length) : undefined;
    }
    assert.equal(pages, 2, 'four organizations in pages of two, and no third, empty page');
    // Keyset order is id order; ids made in the same millisecond need not follow creation order.
    assert.deepEqual(seen.sort(), ['Customer org', 'Partner org', 'Second customer', 'Third customer']);
  });

  it('keyward org create makes partner and customer organizations', async () => {
    let out = '';
    const run = (values: Record<string, string>) =>
      orgCreate.run({ config: () => k.config, values, positionals: [], out: (t) => (out += t) });
    await run({ name: 'CLI Partner', code: 'cli-partner' });
    await run({ name: 'CLI Customer', code: 'cli-customer', parent: 'cli-partner' });
    const rows = await k.services.store.db
      .selectFrom('organizations')
      .selectAll()
      .where('code', 'in', ['cli-partner', 'cli-customer'])
      .orderBy('code')
      .execute();
    assert.equal(rows.length, 2);
    const [customer, partner] = rows;
    assert.equal(partner!.parent_id, null);
    assert.equal(customer!.parent_id, partner!.id);
    assert.match(out, /code cli-customer \(customer of cli-partner\)/);
    await assert.rejects(run({ name: 'Dup', code: 'cli-partner' }), /already exists/);
    await assert.rejects(run({ name: 'Nested', parent: 'cli-customer' }), /one level only/);
    await assert.rejects(run({ name: 'Orphan', parent: 'nope' }), /No organization/);
    await assert.rejects(run({ code: 'x' }), /--name is required/);
  });
});
