import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerJsonParsers } from '../../src/http/bodyParsers.js';
import { renderProblemsWith } from '../../src/http/problems.js';
import { Invalid } from '../../src/platform/errors.js';
import { startKeyward, type Harness } from '../support/harness.js';

describe('HTTP platform on the real app', () => {
  let k: Harness;
  let auth: Record<string, string>;
  before(async () => {
    k = await startKeyward();
    auth = { authorization: `Bearer ${await k.token()}` };
  });
  after(() => k.close());

  it('echoes a caller TrackingID, or makes one, on every response', async () => {
    const given = await k.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { trackingid: 'SIMPLE_1234-abcd' },
    });
    assert.equal(given.headers['trackingid'], 'SIMPLE_1234-abcd');
    const made = await k.app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(made.headers['trackingid']), /^[0-9a-f]{32}$/);
    const junk = await k.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { trackingid: 'bad value\u0001' },
    });
    assert.match(String(junk.headers['trackingid']), /^[0-9a-f]{32}$/);
  });

  it('unknown routes give a JSON 404 (Webex shape under /v1)', async () => {
    const res = await k.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.equal(res.json().trackingId, res.headers['trackingid']);
    const root = await k.app.inject({ method: 'GET', url: '/nope' });
    assert.equal(root.statusCode, 404);
    assert.match(root.json().message, /No route/);
  });

  it('is trailing-slash insensitive and accepts GET with Content-Type json and no body (SDKs send that)', async () => {
    const res = await k.app.inject({
      method: 'GET',
      url: '/v1/organizations/',
      headers: { ...auth, 'content-type': 'application/json;charset=utf-8', 'content-length': '0' },
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  it('healthz and readyz', async () => {
    assert.deepEqual((await k.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    const ready = await k.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
  });

  it('serves OpenAPI 3 generated from the route schemas, and the UI', async () => {
    const doc = (await k.app.inject({ method: 'GET', url: '/apidoc/openapi.json' })).json();
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/oauth/token']);
    assert.ok(doc.paths['/v1/organizations']);
    const ui = await k.app.inject({ method: 'GET', url: '/apidoc/' });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger/i);
  });
});

describe('HTTP platform body parsing (parsers and error rendering in isolation)', () => {
  let app: FastifyInstance;
  const seen: unknown[] = [];
  before(async () => {
    app = Fastify({ bodyLimit: 1024 });
    registerJsonParsers(app);
    renderProblemsWith(app, (p) => ({ status: p.status, message: p.message, field: p.field }));
    app.post('/echo', async (req) => {
      seen.push(req.body);
      return { body: req.body ?? null };
    });
    app.patch('/patch', async (req) => ({ body: req.body }));
    app.delete('/thing', async (_req, reply) => reply.status(204).send());
    app.post('/domain', async () => {
      throw new Invalid('emails', 'must contain one address');
    });
    app.post('/boom', async () => {
      throw new Error('secret internals at /srv/x.ts:12');
    });
    await app.ready();
  });
  after(() => app.close());

  it('malformed JSON: 400 naming the problem; nothing reaches the handler', async () => {
    const before = seen.length;
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /not valid JSON/);
    assert.equal(seen.length, before);
  });
  it('empty JSON body (DELETE with Content-Type json) is no body', async () => {
    const res = await app.inject({
      method: 'DELETE',
      url: '/thing',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 204);
  });
  it('application/json-patch+json is parsed', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/patch',
      headers: { 'content-type': 'application/json-patch+json' },
      payload: '[{"op":"remove","path":"/a"}]',
    });
    assert.deepEqual(res.json().body, [{ op: 'remove', path: '/a' }]);
  });
  it('unsupported content type: 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    assert.equal(res.statusCode, 415);
  });
  it('oversized body: 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 'x'.repeat(2000) }),
    });
    assert.equal(res.statusCode, 413);
  });
  it('domain errors keep their status and field', async () => {
    const res = await app.inject({ method: 'POST', url: '/domain' });
    assert.deepEqual(res.json(), {
      status: 400,
      message: 'emails: must contain one address',
      field: 'emails',
    });
  });
  it('unexpected errors are 500 without internals', async () => {
    const res = await app.inject({ method: 'POST', url: '/boom' });
    assert.equal(res.statusCode, 500);
    assert.doesNotMatch(res.body, /secret internals|\.ts:/);
  });
});
