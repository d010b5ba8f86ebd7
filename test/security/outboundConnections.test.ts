/**
 * Issue 13 §3 at the doors: a connection URL naming an internal address is refused with 400
 * naming the field (Authress shape, nothing stored), and the upstream client refuses URLs that
 * arrive later (discovery's jwks_uri / userinfo_endpoint, stored token URLs) the same way, without
 * ever echoing the upstream's words.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { UpstreamClient, UpstreamError } from '../../src/domain/connections/upstream.js';
import { Outbound, parseAllowList } from '../../src/platform/outbound/index.js';
import { caller, oauthConnection } from '../connections/support/connectionsSupport.js';
import { startKeyward, type Harness } from '../support/harness.js';
import { REFUSED_URLS } from './support/outboundAddresses.js';

const FIELDS = ['authenticationUrl', 'tokenUrl', 'issuerUrl', 'data.oidcUserEndpointUrl'] as const;

function withUrl(field: (typeof FIELDS)[number], url: string): Record<string, unknown> {
  const body = oauthConnection();
  if (field === 'data.oidcUserEndpointUrl')
    return { ...body, data: { ...(body.data as object), oidcUserEndpointUrl: url } };
  return { ...body, [field]: url };
}

describe('connections naming a refused address answer 400 naming the field (issue 13 §3)', () => {
  let k: Harness;
  let call: ReturnType<typeof caller>;
  let stored: unknown;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_RATE_LIMIT_MAX: '0' } });
    call = caller(k, await k.token());
    const created = await call('POST', '/v1/connections', { ...oauthConnection(), connectionId: 'kept' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    stored = created.body;
  });
  after(() => k?.close());

  for (const field of FIELDS) {
    it(`${field}: every spelling, on create and on replace`, async () => {
      for (const [name, url] of REFUSED_URLS) {
        for (const [method, path] of [
          ['POST', '/v1/connections'],
          ['PUT', '/v1/connections/kept'],
        ] as const) {
          const res = await call(method, path, withUrl(field, url));
          assert.equal(res.status, 400, `${method} ${name} ${url}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.errorCode, 'InvalidRequest');
          assert.equal(res.body.field, field, `${method} ${name}`);
        }
      }
      const list = await call('GET', '/v1/connections');
      assert.equal(list.body.connections.length, 1, 'nothing created');
      assert.deepEqual((await call('GET', '/v1/connections/kept')).body, stored, 'nothing replaced');
    });
  }
});

describe('KEYWARD_UPSTREAM_ALLOW lets an operator name internal upstreams', () => {
  let k: Harness;
  before(async () => {
    k = await startKeyward({ env: { KEYWARD_UPSTREAM_ALLOW: '127.0.0.1,idp.internal' } });
  });
  after(() => k?.close());

  it('allowed hosts are accepted over http; other internal spellings are still refused', async () => {
    const call = caller(k, await k.token());
    for (const url of ['http://127.0.0.1:4444/token', 'http://idp.internal/token']) {
      const res = await call('POST', '/v1/connections', oauthConnection({ tokenUrl: url }));
      assert.equal(res.status, 201, `${url}: ${JSON.stringify(res.body)}`);
    }
    for (const url of ['http://[::ffff:7f00:1]:4444/token', 'https://10.0.0.1/token', 'https://localhost/']) {
      const res = await call('POST', '/v1/connections', oauthConnection({ tokenUrl: url }));
      assert.equal(res.status, 400, url);
      assert.equal(res.body.field, 'tokenUrl');
    }
  });
});

describe('URLs from upstream documents and stored rows go through the same policy', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url!);
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        // The attack of the finding: discovery points Keyward at a refused spelling of loopback.
        return res.end(
          JSON.stringify({
            issuer: `http://127.0.0.1:${port}`,
            jwks_uri: `http://[::ffff:7f00:1]:${port}/jwks`,
            userinfo_endpoint: `http://[::ffff:7f00:1]:${port}/userinfo`,
          }),
        );
      }
      res.statusCode = 400;
      res.end(
        JSON.stringify({ error: 'SSH-2.0-OpenSSH_9.6 internal banner', error_description: 'x'.repeat(500) }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("discovery's jwks_uri and userinfo_endpoint on an internal address are never fetched", async () => {
    const outbound = new Outbound({ allow: parseAllowList('127.0.0.1') });
    const upstream = new UpstreamClient(outbound);
    try {
      await assert.rejects(upstream.discover(`http://127.0.0.1:${port}`), (error: Error) => {
        assert.ok(error instanceof UpstreamError, String(error));
        assert.match(error.message, /jwks_uri is not an address Keyward may call/);
        return true;
      });
      await assert.rejects(upstream.userinfo(`http://[::ffff:7f00:1]:${port}/userinfo`, 'at'), UpstreamError);
      assert.deepEqual(hits, ['/.well-known/openid-configuration']);
    } finally {
      await outbound.close();
    }
  });

  it('a token URL stored before the policy is refused at request time', async () => {
    const outbound = new Outbound();
    const upstream = new UpstreamClient(outbound);
    const before = hits.length;
    try {
      await assert.rejects(
        upstream.tokenRequest(
          { tokenUrl: `http://127.0.0.1:${port}/token`, clientId: 'c', clientSecret: 's' },
          { grant_type: 'refresh_token', refresh_token: 'r' },
        ),
        /not an address Keyward may call/,
      );
      assert.equal(hits.length, before);
    } finally {
      await outbound.close();
    }
  });

  it('an upstream error answer is logged redacted, never put in the message shown to the browser', async () => {
    const outbound = new Outbound({ allow: parseAllowList('127.0.0.1') });
    const upstream = new UpstreamClient(outbound);
    try {
      await assert.rejects(
        upstream.tokenRequest(
          { tokenUrl: `http://127.0.0.1:${port}/token`, clientId: 'c', clientSecret: 's' },
          { grant_type: 'authorization_code', code: 'x' },
        ),
        (error: Error) => {
          assert.ok(error instanceof UpstreamError);
          assert.equal(
            error.message,
            "The identity provider's token endpoint refused the request (HTTP 400).",
          );
          assert.equal(error.detail?.error, 'SSH-2.0-OpenSSH_9.6 internal banner');
          assert.equal(error.detail?.error_description, '[redacted]', 'long runs masked, length capped');
          return true;
        },
      );
    } finally {
      await outbound.close();
    }
  });
});
