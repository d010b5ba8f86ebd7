/**
 * Issue 13 §2: a JSON Patch cannot make the server do unbounded work. Each attack is refused
 * with 400 in SailPoint's error shape naming the operation, before it runs, and the client is
 * left exactly as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKeyward, type Harness } from '../support/harness.js';
import { api, appBody, createdClient } from './support.js';

const URI = (n: number) => `https://app.example/cb/${n}/${'x'.repeat(2000)}`;
const copyUris = { op: 'copy', from: '/redirectUris', path: '/redirectUris/-' };

interface Attack {
  name: string;
  ops: unknown[];
  /** The operation the error names (`[i]`), or undefined for a patch refused whole. */
  at?: number;
  text: RegExp;
}

const ATTACKS: Attack[] = [
  {
    name: "the issue's 20 × copy of the redirect URI list into itself",
    ops: Array.from({ length: 20 }, () => copyUris),
    at: 0,
    text: /redirectUris elements must be single values/,
  },
  {
    name: '30 × copy of the whole list into a scalar field and back',
    ops: Array.from({ length: 30 }, (_, i) =>
      i % 2 ? { op: 'copy', from: '/description', path: '/redirectUris' } : copyUris,
    ),
    at: 0,
    text: /single values/,
  },
  {
    name: 'copying one long URI past the 50-URI limit',
    ops: Array.from({ length: 60 }, () => ({ op: 'copy', from: '/redirectUris/0', path: '/redirectUris/-' })),
    at: 49,
    text: /more than 50 elements/,
  },
  {
    name: 'a redirect URI longer than 2048 characters',
    ops: [{ op: 'add', path: '/redirectUris/-', value: 'https://a.example/' + 'y'.repeat(3000) }],
    at: 0,
    text: /at most 2048 characters/,
  },
  {
    name: 'a whole list of 51 URIs',
    ops: [
      {
        op: 'replace',
        path: '/redirectUris',
        value: Array.from({ length: 51 }, (_, i) => `https://a.example/${i}`),
      },
    ],
    at: 0,
    text: /at most 50 elements/,
  },
  {
    name: 'a scalar field grown into a big structure',
    ops: [{ op: 'replace', path: '/name', value: Array.from({ length: 2000 }, () => 1) }],
    at: 0,
    text: /more than 1024 values/,
  },
  {
    name: 'copies of a long text field past the document bound',
    ops: [
      { op: 'replace', path: '/description', value: 'd'.repeat(60_000) },
      { op: 'copy', from: '/description', path: '/businessName' },
      { op: 'copy', from: '/description', path: '/homepageUrl' },
    ],
    at: 2,
    text: /longer than 131072 characters/,
  },
  {
    name: '101 operations',
    ops: Array.from({ length: 101 }, () => ({ op: 'test', path: '/name', value: 'x' })),
    text: /(at most 100 operations|must NOT have more than 100 items)/,
  },
];

describe('JSON Patch of an OAuth client is bounded before it runs (issue 13 §2)', () => {
  let k: Harness;
  let admin: string;
  let id: string;
  let stored: unknown;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' }, listen: true });
    admin = await k.token();
    id = (await createdClient(k, admin, appBody({ redirectUris: [URI(0)] }))).id;
    stored = (await api(k).get(admin, id)).json();
  });
  after(() => k.close());

  for (const attack of ATTACKS) {
    it(`${attack.name} → 400 naming the op, nothing changed`, async () => {
      const res = await api(k).patch(admin, id, attack.ops);
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json();
      assert.ok(body.detailCode && body.trackingId && Array.isArray(body.messages), 'SailPoint error shape');
      const text = body.messages.map((m: { text: string }) => m.text).join(' ');
      assert.match(text, attack.text);
      if (attack.at !== undefined) assert.match(text, new RegExp(`\\[${attack.at}\\]`));
      assert.deepEqual((await api(k).get(admin, id)).json(), stored);
    });
  }

  it('the doubling attack over real HTTP answers 400 while /healthz keeps answering', async () => {
    const patch = fetch(`${k.baseUrl}/beta/oauth-clients/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json-patch+json' },
      body: JSON.stringify(Array.from({ length: 30 }, () => copyUris)),
    });
    const health = await fetch(`${k.baseUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.equal((await patch).status, 400);
  });

  it('a legitimate patch up to the limits still applies (50 URIs of 2000+ characters)', async () => {
    const ops = Array.from({ length: 49 }, (_, i) => ({
      op: 'add',
      path: '/redirectUris/-',
      value: URI(i + 1),
    }));
    const res = await api(k).patch(admin, id, ops);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().redirectUris.length, 50);
    const moved = await api(k).patch(admin, id, [
      { op: 'move', from: '/redirectUris/0', path: '/redirectUris/-' },
      { op: 'remove', path: '/redirectUris/1' },
    ]);
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().redirectUris.length, 49);
    assert.equal(moved.json().redirectUris.at(-1), URI(0));
  });
});
