import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { startKeyward, type Harness } from '../support/harness.js';

/** One raw HTTP request (no client library fixing the Host header): status line and headers. */
function rawRequest(port: number, head: string): Promise<{ status: number; link: string | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [statusLine = '', ...lines] = text.split('\r\n\r\n')[0]!.split('\r\n');
      const link = lines.find((l) => /^link:/i.test(l))?.replace(/^link:\s*/i, '');
      resolve({ status: Number(statusLine.split(' ')[1]), link });
    });
  });
}

/** Link-header paging over real HTTP, followed with a plain client (fetch), as wxc_sdk does. */
describe('Webex paging of /v1/people over HTTP', () => {
  let k: Harness;
  let token: string;

  before(async () => {
    k = await startKeyward({ listen: true, env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    token = await k.token();
  });
  after(() => k.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });

  async function create(n: number, prefix: string) {
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${k.baseUrl}/v1/people`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ emails: [`${prefix}${i}@example.com`], displayName: `${prefix} ${i}` }),
      });
      assert.equal(res.status, 200);
    }
  }

  function nextLink(res: Response): string | undefined {
    const link = res.headers.get('link');
    if (!link) return undefined;
    const m = /^<([^>]+)>;\s*rel="next"$/.exec(link);
    assert.ok(m, `Link header ${link}`);
    return m[1];
  }

  it('follows absolute Link URLs that carry every filter, stable while people are added', async () => {
    await create(23, 'pager');
    const seen: string[] = [];
    let url: string | undefined = `${k.baseUrl}/v1/people?displayName=pager&max=5`;
    let pages = 0;
    while (url) {
      const res = await get(url);
      assert.equal(res.status, 200);
      const body = (await res.json()) as any;
      seen.push(...body.items.map((p: any) => p.displayName));
      pages++;
      url = nextLink(res);
      if (url) {
        const next = new URL(url);
        assert.equal(next.origin, k.baseUrl, 'absolute, pointing at this server');
        assert.equal(next.searchParams.get('displayName'), 'pager');
        assert.equal(next.searchParams.get('max'), '5');
        assert.ok(next.searchParams.get('cursor'));
      }
      if (pages === 2) await create(3, 'pagerlate'); // added mid-listing: appear at the end, nothing repeats
    }
    assert.equal(pages, 6, 'exactly 26 rows in pages of 5, no empty last page');
    assert.equal(new Set(seen).size, seen.length, 'no repeats');
    assert.equal(seen.length, 26);
    assert.deepEqual(
      seen.slice(0, 23),
      Array.from({ length: 23 }, (_, i) => `pager ${i}`),
    );
  });

  it('the last page has no Link; an exact multiple gives no empty trailing page', async () => {
    const res = await get(`${k.baseUrl}/v1/people?displayName=pagerlate&max=3`);
    assert.equal(((await res.json()) as any).items.length, 3);
    assert.equal(res.headers.get('link'), null);
  });

  it('an admin creates, pages through, updates and deletes people with a plain HTTP client', async () => {
    const send = (method: string, url: string, body?: unknown) =>
      fetch(url.startsWith('http') ? url : `${k.baseUrl}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const listAll = async (first: string) => {
      const items: any[] = [];
      let pages = 0;
      for (let url: string | undefined = first; url; pages++) {
        const res = await send('GET', url);
        assert.equal(res.status, 200);
        items.push(...((await res.json()) as any).items);
        url = nextLink(res);
      }
      return { items, pages };
    };
    const created: any[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await send('POST', '/v1/people', {
        emails: [`crud${i}@example.com`],
        displayName: `crud ${i}`,
        firstName: 'Crud',
      });
      assert.equal(res.status, 200);
      created.push(await res.json());
    }
    let listed = await listAll(`${k.baseUrl}/v1/people?displayName=crud&max=3`);
    assert.equal(listed.pages, 3);
    assert.deepEqual(
      listed.items.map((p) => p.id),
      created.map((p) => p.id),
    );
    // GET, change, PUT back (what Webex clients do); then every page shows the new names.
    for (const person of listed.items) {
      const res = await send('PUT', `/v1/people/${person.id}`, {
        ...person,
        displayName: `crud renamed ${person.id}`,
      });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as any).firstName, 'Crud');
    }
    listed = await listAll(`${k.baseUrl}/v1/people?displayName=crud%20renamed&max=3`);
    assert.equal(listed.items.length, 7);
    for (const person of created) assert.equal((await send('DELETE', `/v1/people/${person.id}`)).status, 204);
    listed = await listAll(`${k.baseUrl}/v1/people?displayName=crud&max=3`);
    assert.deepEqual(listed, { items: [], pages: 1 });
    assert.equal((await send('GET', `/v1/people/${created[0].id}`)).status, 404);
  });

  it('falls back to KEYWARD_ISSUER for Link URLs when the request names no usable host', async () => {
    const other = await startKeyward({
      listen: true,
      env: { KEYWARD_RATE_LIMIT_MAX: '0', KEYWARD_ISSUER: 'https://id.example.test' },
    });
    try {
      await insertPerson(other, { displayName: 'Second' });
      const auth = `Authorization: Bearer ${await other.token()}`;
      const port = other.config.port;
      const noHost = await rawRequest(port, `GET /v1/people?max=1 HTTP/1.0\r\n${auth}`);
      assert.equal(noHost.status, 200);
      assert.match(
        noHost.link!,
        /^<https:\/\/id\.example\.test\/v1\/people\?max=1&cursor=[^>]+>; rel="next"$/,
      );
      for (const host of ['a b', 'evil.example/path', 'user@evil.example']) {
        const res = await rawRequest(
          port,
          `GET /v1/people?max=1 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${auth}`,
        );
        assert.equal(res.status, 200, host);
        assert.ok(res.link!.startsWith('<https://id.example.test/v1/people?'), `${host}: ${res.link}`);
      }
      const named = await rawRequest(
        port,
        `GET /v1/people?max=1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${auth}`,
      );
      assert.ok(named.link!.startsWith(`<http://127.0.0.1:${port}/v1/people?`), named.link);
    } finally {
      await other.close();
    }
  });

  it('honours X-Forwarded-Host/Proto only when KEYWARD_TRUST_PROXY is on', async () => {
    const plain = await get(`${k.baseUrl}/v1/people?max=1`, {
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
    });
    assert.ok(nextLink(plain)!.startsWith(`${k.baseUrl}/v1/people?`));
    const proxied = await startKeyward({
      listen: true,
      env: { KEYWARD_RATE_LIMIT_MAX: '0', KEYWARD_TRUST_PROXY: 'true' },
    });
    try {
      const res = await fetch(`${proxied.baseUrl}/v1/people?max=1`, {
        headers: {
          authorization: `Bearer ${await proxied.token()}`,
          'x-forwarded-host': 'id.example.com',
          'x-forwarded-proto': 'https',
        },
      });
      // Only the bootstrap admin exists: one page, no link. Make a second person to get one.
      assert.equal(res.status, 200);
      await proxied.services.store.db
        .insertInto('people')
        .values({
          id: '01zzzzzzzzzzzzzzzzzzzzzzzz',
          org_id: proxied.admin.orgId,
          email: 'z@example.com',
          display_name: 'Z',
          first_name: null,
          last_name: null,
          password_hash: null,
          roles: '[]',
          status: 'active',
          created_at: 1,
          updated_at: 1,
        })
        .execute();
      const again = await fetch(`${proxied.baseUrl}/v1/people?max=1`, {
        headers: {
          authorization: `Bearer ${await proxied.token()}`,
          'x-forwarded-host': 'id.example.com',
          'x-forwarded-proto': 'https',
        },
      });
      assert.ok(
        nextLink(again)!.startsWith('https://id.example.com/v1/people?'),
        String(again.headers.get('link')),
      );
    } finally {
      await proxied.close();
    }
  });
});
