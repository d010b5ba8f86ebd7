/**
 * The real npm `sailpoint-api-client` against a listening Keyward: it fetches its own token
 * (multipart client_credentials) and drives OAuthClientsBetaApi and OAuthClientsApi (v3).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';

const require = createRequire(import.meta.url);
const sp = require('sailpoint-api-client') as typeof import('sailpoint-api-client');

/** A management client made through Keyward's own API with the bootstrap token. */
async function managementClient(k: Harness): Promise<{ id: string; secret: string }> {
  const res = await fetch(`${k.baseUrl}/v3/oauth-clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await k.token()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'SDK management client',
      description: 'drives the SailPoint SDK',
      accessTokenValiditySeconds: 600,
      grantTypes: ['CLIENT_CREDENTIALS'],
      accessType: 'ONLINE',
      enabled: true,
      scope: ['sp:oauth-client:read', 'sp:oauth-client:manage'],
      roles: ['full_admin'], // a new client holds no admin role unless asked (least privilege)
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as { id: string; secret: string };
  return { id: body.id, secret: body.secret };
}

/** Builds a Configuration that fetches its token at once; awaits it so a failure cannot crash Node. */
async function sdkConfiguration(k: Harness, clientId: string, clientSecret: string) {
  const conf = new sp.Configuration({
    baseurl: k.baseUrl,
    tokenUrl: `${k.baseUrl}/oauth/token`,
    clientId,
    clientSecret,
  });
  try {
    await conf.accessToken;
  } catch (error) {
    assert.fail(`the SDK could not get a token: ${(error as Error).message}`);
  }
  return conf;
}

/** The axios error of a rejected SDK call. */
async function rejection(call: Promise<unknown>): Promise<{ status: number; data: any; headers: any }> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown; headers: unknown } }).response;
    assert.ok(response, `no HTTP response: ${(error as Error).message}`);
    return response as { status: number; data: any; headers: any };
  }
  return assert.fail('the call succeeded');
}

const REQUIRED_GET_KEYS = [
  'id',
  'businessName',
  'homepageUrl',
  'name',
  'description',
  'accessTokenValiditySeconds',
  'refreshTokenValiditySeconds',
  'redirectUris',
  'grantTypes',
  'accessType',
  'type',
  'internal',
  'enabled',
  'strongAuthSupported',
  'claimsSupported',
  'created',
  'modified',
  'scope',
];

describe('sailpoint-api-client against Keyward', () => {
  let k: Harness;
  let manager: { id: string; secret: string };
  let conf: InstanceType<typeof sp.Configuration>;
  before(async () => {
    k = await startKeyward({
      listen: true,
      env: { KEYWARD_RATE_LIMIT_MAX: '0', KEYWARD_LAST_USED_FLUSH_MS: '100' },
    });
    manager = await managementClient(k);
    conf = await sdkConfiguration(k, manager.id, manager.secret);
  });
  after(() => k.close());

  const flows = [
    {
      version: 'beta',
      api: () => new sp.OAuthClientsBetaApi(conf),
      create: (api: any, body: object) => api.createOauthClient({ createOAuthClientRequestBeta: body }),
      patch: (api: any, id: string, ops: object[]) =>
        api.patchOauthClient({ id, jsonPatchOperationBeta: ops }),
    },
    {
      version: 'v3',
      api: () => new sp.OAuthClientsApi(conf),
      create: (api: any, body: object) => api.createOauthClient({ createOAuthClientRequest: body }),
      patch: (api: any, id: string, ops: object[]) => api.patchOauthClient({ id, jsonPatchOperation: ops }),
    },
  ];

  for (const flow of flows) {
    it(`${flow.version}: create, get, list (filters), patch, delete, then 404`, async () => {
      const api = flow.api();
      const created = await flow.create(api, {
        name: `Demo API Client ${flow.version}`,
        description:
          'An API client used for the authorization_code, refresh_token, and client_credentials flows',
        businessName: 'Acme-Solar',
        homepageUrl: 'http://localhost:12345',
        accessTokenValiditySeconds: 750,
        refreshTokenValiditySeconds: 86400,
        redirectUris: ['http://localhost:12345', 'http://localhost:67890'],
        grantTypes: ['AUTHORIZATION_CODE', 'CLIENT_CREDENTIALS', 'REFRESH_TOKEN'],
        accessType: 'OFFLINE',
        type: 'CONFIDENTIAL',
        internal: false,
        enabled: true,
        strongAuthSupported: false,
        claimsSupported: false,
        scope: ['sp:oauth-client:read'],
      });
      assert.equal(created.status, 200);
      const id: string = created.data.id;
      assert.equal(typeof created.data.secret, 'string');
      for (const key of REQUIRED_GET_KEYS) assert.ok(key in created.data, `create response lacks ${key}`);

      // The secret the SDK got back works with the SDK's own token fetch.
      const appConf = await sdkConfiguration(k, id, created.data.secret);
      assert.equal(typeof (await appConf.accessToken), 'string');

      const got = await api.getOauthClient({ id });
      assert.equal(got.status, 200);
      for (const key of REQUIRED_GET_KEYS) assert.ok(key in got.data, `get response lacks ${key}`);
      assert.equal(got.data.secret, null);
      assert.equal(got.data.name, `Demo API Client ${flow.version}`);
      assert.deepEqual(got.data.grantTypes, ['AUTHORIZATION_CODE', 'CLIENT_CREDENTIALS', 'REFRESH_TOKEN']);

      const all = await api.listOauthClients();
      assert.ok(Array.isArray(all.data));
      assert.ok(all.data.some((c: { id: string }) => c.id === id));

      const patched = await flow.patch(api, id, [
        { op: 'replace', path: '/strongAuthSupported', value: true },
        { op: 'replace', path: '/businessName', value: 'acme-solar' },
        { op: 'add', path: '/redirectUris/-', value: 'https://portal.example/callback' },
        { op: 'remove', path: '/homepageUrl' },
      ]);
      assert.equal(patched.status, 200);
      assert.equal(patched.data.strongAuthSupported, true);
      assert.equal(patched.data.businessName, 'acme-solar');
      assert.equal(patched.data.homepageUrl, null);
      assert.equal(patched.data.redirectUris.length, 3);
      assert.equal((await api.getOauthClient({ id })).data.businessName, 'acme-solar');

      const deleted = await api.deleteOauthClient({ id });
      assert.equal(deleted.status, 204);
      const gone = await rejection(api.getOauthClient({ id }));
      assert.equal(gone.status, 404);
      assert.equal(gone.data.detailCode, '404 Not found');
      assert.equal(gone.data.messages[0].locale, 'en-US');
    });

    it(`${flow.version}: SailPoint's stale-client filters (lastUsed le, lastUsed isnull)`, async () => {
      const api = flow.api();
      const fresh = await flow.create(api, {
        name: `Never used ${flow.version}`,
        description: null,
        accessTokenValiditySeconds: 750,
        grantTypes: ['CLIENT_CREDENTIALS'],
        accessType: 'ONLINE',
        enabled: true,
      });
      // The manager obtained its token in before(); lastUsed is written within the flush interval.
      let used: { id: string }[] = [];
      for (let i = 0; i < 40 && !used.some((c) => c.id === manager.id); i++) {
        await sleep(50);
        used = (await api.listOauthClients({ filters: `lastUsed le ${new Date().toISOString()}` })).data;
      }
      assert.ok(
        used.some((c) => c.id === manager.id),
        'the manager shows as used',
      );
      assert.ok(!used.some((c) => c.id === fresh.data.id));
      const never = (await api.listOauthClients({ filters: 'lastUsed isnull' })).data;
      assert.ok(never.some((c: { id: string }) => c.id === fresh.data.id));
      assert.ok(!never.some((c: { id: string }) => c.id === manager.id));
      assert.ok(never.every((c: { lastUsed?: unknown }) => c.lastUsed === null));
      await api.deleteOauthClient({ id: fresh.data.id });
    });

    it(`${flow.version}: errors reach the SDK as SailPoint bodies`, async () => {
      const api = flow.api();
      const bad = await rejection(
        flow.create(api, {
          name: 'No redirect',
          description: 'x',
          accessTokenValiditySeconds: 750,
          grantTypes: ['AUTHORIZATION_CODE'],
          accessType: 'ONLINE',
          enabled: true,
        }),
      );
      assert.equal(bad.status, 400);
      assert.equal(bad.data.detailCode, '400.1 Bad Request Content');
      assert.match(bad.data.messages[0].text, /redirectUris/);
      const filter = await rejection(
        api.listOauthClients({ filters: 'lastUsed EQ 2023-02-05T10:59:27.214Z' }),
      );
      assert.equal(filter.status, 400);
      const unknown = await rejection(
        flow.patch(api, 'no-such-client', [{ op: 'replace', path: '/name', value: 'x' }]),
      );
      assert.equal(unknown.status, 404);
    });
  }

  it('a deleted management client: the SDK it configured gets 401 {error} at once', async () => {
    const doomed = await managementClient(k);
    const doomedConf = await sdkConfiguration(k, doomed.id, doomed.secret);
    const api = new sp.OAuthClientsApi(doomedConf);
    assert.equal((await api.listOauthClients()).status, 200);
    await new sp.OAuthClientsBetaApi(conf).deleteOauthClient({ id: doomed.id });
    const refused = await rejection(api.listOauthClients());
    assert.equal(refused.status, 401);
    assert.equal(typeof refused.data.error, 'string');
  });
});

describe('sailpoint-api-client and the rate limit', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward({
      listen: true,
      env: { KEYWARD_RATE_LIMIT_MAX: '2', KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '30' },
    });
  });
  after(() => k.close());

  it('the SDK gets 429 {message} with Retry-After (it does not retry 429)', async () => {
    const manager = await managementClient(k); // the bootstrap client's request, not the manager's
    const conf = await sdkConfiguration(k, manager.id, manager.secret);
    const api = new sp.OAuthClientsApi(conf);
    assert.equal((await api.listOauthClients()).status, 200);
    assert.equal((await api.listOauthClients()).status, 200);
    const limited = await rejection(api.listOauthClients());
    assert.equal(limited.status, 429);
    assert.match(limited.data.message, /Rate Limit Exceeded/);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 30);
  });
});
