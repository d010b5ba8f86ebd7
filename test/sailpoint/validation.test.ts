import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { api, appBody, clientBody, errorText } from './support.js';

/** Every 4xx but 401/429 is a SailPoint ErrorResponseDto carrying the request's TrackingID. */
function assertErrorDto(
  res: { statusCode: number; headers: Record<string, unknown>; json(): any },
  status: number,
) {
  assert.equal(res.statusCode, status);
  const body = res.json();
  assert.deepEqual(Object.keys(body).sort(), ['causes', 'detailCode', 'messages', 'trackingId']);
  assert.equal(body.trackingId, res.headers['trackingid']);
  assert.equal(body.messages[0].locale, 'en-US');
  assert.equal(body.messages[0].localeOrigin, 'DEFAULT');
  assert.equal(typeof body.messages[0].text, 'string');
}

describe('SailPoint-style OAuth clients: bad input', () => {
  let k: Harness;
  let admin: string;
  let id: string;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    admin = await k.token();
    id = (await api(k).create(admin, appBody())).json().id;
  });
  after(() => k.close());

  const without = (key: string) => {
    const body = clientBody();
    delete body[key];
    return body;
  };

  const createCases: [string, unknown, RegExp][] = [
    ['no name', without('name'), /name: is required/],
    ['null name', clientBody({ name: null }), /name: is required/],
    ['blank name', clientBody({ name: '   ' }), /name: must not be empty/],
    ['name too long', clientBody({ name: 'x'.repeat(256) }), /name: must be at most 255/],
    ['no description', without('description'), /description: is required/],
    [
      'no accessTokenValiditySeconds',
      without('accessTokenValiditySeconds'),
      /accessTokenValiditySeconds: is required/,
    ],
    ['access TTL too short', clientBody({ accessTokenValiditySeconds: 59 }), /from 60 to 86400/],
    ['access TTL too long', clientBody({ accessTokenValiditySeconds: 86401 }), /from 60 to 86400/],
    [
      'access TTL not an integer',
      clientBody({ accessTokenValiditySeconds: 75.5 }),
      /accessTokenValiditySeconds/,
    ],
    ['refresh TTL too long', clientBody({ refreshTokenValiditySeconds: 31_536_001 }), /from 60 to 31536000/],
    ['no grantTypes', without('grantTypes'), /grantTypes: is required/],
    ['null grantTypes', clientBody({ grantTypes: null }), /grantTypes: is required/],
    ['empty grantTypes', clientBody({ grantTypes: [] }), /at least one grant type/],
    ['unknown grant type', clientBody({ grantTypes: ['PASSWORD'] }), /must be one of/],
    [
      'repeated grant type',
      clientBody({ grantTypes: ['CLIENT_CREDENTIALS', 'CLIENT_CREDENTIALS'] }),
      /repeats/,
    ],
    ['no accessType', without('accessType'), /accessType: is required/],
    ['bad accessType', clientBody({ accessType: 'SOMETIMES' }), /must be one of "ONLINE", "OFFLINE"/],
    ['lowercase type', clientBody({ type: 'confidential' }), /type: must be one of/],
    ['no enabled', without('enabled'), /enabled: is required/],
    ['enabled not a boolean', clientBody({ enabled: 'maybe' }), /enabled/],
    ['unknown field', clientBody({ tenant: 'acme' }), /tenant: is not a known field/],
    ['secret may not be chosen', clientBody({ secret: 'mine' }), /secret: is not a known field/],
    [
      'AUTHORIZATION_CODE without redirect URIs',
      clientBody({ grantTypes: ['AUTHORIZATION_CODE'] }),
      /redirectUris: must list at least one URI/,
    ],
    [
      'REFRESH_TOKEN without AUTHORIZATION_CODE',
      clientBody({ grantTypes: ['CLIENT_CREDENTIALS', 'REFRESH_TOKEN'], accessType: 'OFFLINE' }),
      /REFRESH_TOKEN needs AUTHORIZATION_CODE/,
    ],
    ['REFRESH_TOKEN with ONLINE access', appBody({ accessType: 'ONLINE' }), /accessType: must be OFFLINE/],
    [
      'PUBLIC with CLIENT_CREDENTIALS',
      clientBody({ type: 'PUBLIC' }),
      /PUBLIC client has no secret and cannot use CLIENT_CREDENTIALS/,
    ],
    [
      'relative redirect URI',
      appBody({ redirectUris: ['/callback'] }),
      /redirectUris\[0\]: must be an absolute URI/,
    ],
    [
      'redirect URI with a fragment',
      appBody({ redirectUris: ['https://a.example/cb#x'] }),
      /redirectUris\[0\]: must be an absolute URI without a fragment/,
    ],
    ['redirect URI with spaces', appBody({ redirectUris: ['https://a.example/c b'] }), /redirectUris\[0\]/],
    [
      'repeated redirect URI',
      appBody({ redirectUris: ['https://a.example/cb', 'https://a.example/cb'] }),
      /redirectUris\[1\]: repeats/,
    ],
    [
      'too many redirect URIs',
      appBody({ redirectUris: Array.from({ length: 51 }, (_, i) => `https://a.example/${i}`) }),
      /at most 50/,
    ],
    [
      'homepage not http(s)',
      clientBody({ homepageUrl: 'ftp://files.example' }),
      /homepageUrl: must be an absolute http/,
    ],
    ['homepage relative', clientBody({ homepageUrl: 'portal.example' }), /homepageUrl/],
    [
      'unknown scope',
      clientBody({ scope: ['demo:api-client-scope:first'] }),
      /scope\[0\]: "demo:api-client-scope:first" is not a known scope/,
    ],
    ['unknown role', clientBody({ roles: ['super_admin'] }), /roles\.0: must be one of|roles\[0\]/],
  ];

  for (const [name, body, message] of createCases) {
    it(`create: ${name} → 400 naming the field`, async () => {
      const res = await api(k).create(admin, body);
      assertErrorDto(res, 400);
      assert.equal(res.json().detailCode, '400.1 Bad Request Content');
      assert.match(errorText(res), message);
    });
  }

  it('create: a body that is not JSON → 400', async () => {
    const res = await k.app.inject({
      method: 'POST',
      url: '/beta/oauth-clients',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assertErrorDto(res, 400);
  });

  it('create: no body → 400', async () => {
    const res = await k.app.inject({
      method: 'POST',
      url: '/v3/oauth-clients',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    });
    assertErrorDto(res, 400);
  });

  it('create: an XML body → 415', async () => {
    const res = await k.app.inject({
      method: 'POST',
      url: '/beta/oauth-clients',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/xml' },
      payload: '<client/>',
    });
    assertErrorDto(res, 415);
  });

  it('no failed create left a row behind', async () => {
    const rows = await k.services.store.db.selectFrom('oauth_clients').select('id').execute();
    assert.equal(rows.length, 2); // the bootstrap client and the one made in before()
  });

  const patchCases: [string, unknown, RegExp][] = [
    [
      'not an array',
      { op: 'replace', path: '/name', value: 'x' },
      /must be array|JSON Patch must be an array/,
    ],
    ['unknown op', [{ op: 'merge', path: '/name', value: 'x' }], /op/],
    ['path not a pointer', [{ op: 'replace', path: 'name', value: 'x' }], /not a JSON Pointer/],
    ['replace without value', [{ op: 'replace', path: '/name' }], /value.* required/],
    ['move without from', [{ op: 'move', path: '/name' }], /from.* required/],
    ['read-only id', [{ op: 'replace', path: '/id', value: 'abc' }], /'id' cannot be patched/],
    ['read-only type', [{ op: 'replace', path: '/type', value: 'PUBLIC' }], /'type' cannot be patched/],
    [
      'read-only internal',
      [{ op: 'replace', path: '/internal', value: true }],
      /'internal' cannot be patched/,
    ],
    ['secret', [{ op: 'add', path: '/secret', value: 'mine' }], /'secret' cannot be patched/],
    ['tenant', [{ op: 'replace', path: '/tenant', value: 'other' }], /'tenant' cannot be patched/],
    [
      'created',
      [{ op: 'replace', path: '/created', value: '2020-01-01T00:00:00Z' }],
      /'created' cannot be patched/,
    ],
    ['unknown member', [{ op: 'add', path: '/colour', value: 'red' }], /'colour' cannot be patched/],
    ['whole document', [{ op: 'replace', path: '', value: {} }], /the whole client cannot be patched/],
    ['move from a read-only field', [{ op: 'move', from: '/id', path: '/name' }], /'id' cannot be patched/],
    ['remove a required field', [{ op: 'remove', path: '/name' }], /name: is required/],
    [
      'replace a missing array element',
      [{ op: 'replace', path: '/redirectUris/5', value: 'https://x.example' }],
      /\[0\]/,
    ],
    ['wrong type', [{ op: 'replace', path: '/enabled', value: 'yes' }], /enabled: must be true or false/],
    ['null name', [{ op: 'replace', path: '/name', value: null }], /name: is required/],
    [
      'ttl out of range',
      [{ op: 'replace', path: '/accessTokenValiditySeconds', value: 10 }],
      /from 60 to 86400/,
    ],
    [
      'rule broken by the result',
      [{ op: 'replace', path: '/redirectUris', value: [] }],
      /redirectUris: must list at least one/,
    ],
    ['failed test', [{ op: 'test', path: '/name', value: 'Someone else' }], /test failed/],
    ['unknown scope', [{ op: 'add', path: '/scope/-', value: 'nope:nope' }], /not a known scope/],
  ];

  for (const [name, ops, message] of patchCases) {
    it(`patch: ${name} → 400, the client unchanged`, async () => {
      const before = (await api(k).get(admin, id)).json();
      const res = await api(k).patch(admin, id, ops);
      assertErrorDto(res, 400);
      assert.match(errorText(res), message);
      assert.deepEqual((await api(k).get(admin, id)).json(), before);
    });
  }

  it('patch: all or nothing — a valid operation before a failing one is not applied', async () => {
    const res = await api(k).patch(admin, id, [
      { op: 'replace', path: '/name', value: 'Renamed' },
      { op: 'replace', path: '/description', value: 'changed' },
      { op: 'test', path: '/enabled', value: false },
    ]);
    assertErrorDto(res, 400);
    const row = await k.services.store.db
      .selectFrom('oauth_clients')
      .select(['name', 'description'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: 'Web portal', description: 'Nightly export' });
  });

  it('patch: a body that is not JSON → 400', async () => {
    const res = await api(k).patch(admin, id, '[{"op": ');
    assertErrorDto(res, 400);
  });

  it('ids: unknown → 404 on get, patch, delete and rotate', async () => {
    for (const res of [
      await api(k).get(admin, 'no-such-client'),
      await api(k).patch(admin, 'no-such-client', [{ op: 'replace', path: '/name', value: 'x' }]),
      await api(k).remove(admin, 'no-such-client'),
      await api(k).rotate(admin, 'no-such-client'),
    ]) {
      assertErrorDto(res, 404);
      assert.equal(res.json().detailCode, '404 Not found');
    }
  });

  it('ids: an id with a slash (URL-encoded, as the SDK sends it) → 404, not a routing error', async () => {
    const res = await api(k).get(admin, 'a/b');
    assertErrorDto(res, 404);
  });

  it('a client cannot delete or disable itself', async () => {
    const del = await api(k).remove(admin, k.admin.clientId);
    assertErrorDto(del, 400);
    assert.match(errorText(del), /cannot delete itself/);
    const disable = await api(k).patch(admin, k.admin.clientId, [
      { op: 'replace', path: '/enabled', value: false },
    ]);
    assertErrorDto(disable, 400);
    assert.match(errorText(disable), /cannot disable itself/);
    assert.equal((await api(k).get(admin, k.admin.clientId)).json().enabled, true);
  });

  it('an unknown path under /beta or /v3 → 404 ErrorResponseDto', async () => {
    for (const url of ['/beta/oauth-client', '/v3/nothing/here']) {
      const res = await k.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });
      assertErrorDto(res, 404);
    }
  });
});
