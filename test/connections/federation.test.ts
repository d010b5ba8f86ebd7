import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { insertClient, insertPerson } from '../support/fixtures.js';
import { FormBrowser, signInAndConsent } from '../support/formBrowser.js';
import type { Harness } from '../support/harness.js';
import { caller, otherOrgAdmin } from './support/connectionsSupport.js';
import { REDIRECT, startFederationScene, type FederationScene } from './support/federationScene.js';
import { driveFederatedLogin } from './support/federationFlow.js';
import type { Upstream } from './support/upstream.js';

const UPSTREAM_TTL = 12;

describe("federation: login through a REAL upstream OpenID provider (oidc-provider), then Keyward's code flow", () => {
  let scene: FederationScene;
  let k: Harness;
  let upstream: Upstream;
  let config: oidc.Configuration;
  let admin: ReturnType<typeof caller>;
  const authorizeUrl = (extra?: Record<string, string>) => scene.authorizeUrl(extra);
  const count = (table: 'people' | 'connection_credentials' | 'login_sessions') => scene.count(table);

  before(async () => {
    scene = await startFederationScene({ upstreamTtl: UPSTREAM_TTL });
    ({ k, upstream, config, admin } = scene);
  });
  after(() => scene?.close());

  async function credentialsRow(personId: string) {
    return k.services.store.db
      .selectFrom('connection_credentials')
      .selectAll()
      .where('person_id', '=', personId)
      .where('connection_id', '=', 'upstream')
      .executeTakeFirst();
  }

  it('app → Keyward authorize?connection_id → upstream login → /sso/callback → Keyward consent → code → tokens', async () => {
    const started = Date.now();
    const { url, verifier, state, nonce } = await authorizeUrl({ connection_id: 'upstream' });
    const browser = new FormBrowser();
    const { final, visited } = await driveFederatedLogin(browser, url.href, {
      appRedirect: REDIRECT,
      upstreamLogin: upstream.account.id,
    });
    // The browser went upstream with PKCE, state and nonce, and came back to /sso/callback.
    const toUpstream = new URL(visited.find((v) => v.startsWith(`${upstream.issuer}/auth`))!);
    assert.equal(toUpstream.searchParams.get('client_id'), upstream.clientId);
    assert.equal(toUpstream.searchParams.get('redirect_uri'), `${k.baseUrl}/sso/callback`);
    assert.equal(toUpstream.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(
      toUpstream.searchParams.get('state') &&
        toUpstream.searchParams.get('nonce') &&
        toUpstream.searchParams.get('code_challenge'),
    );
    assert.notEqual(
      toUpstream.searchParams.get('state'),
      state,
      "the upstream state is Keyward's own, not the application's",
    );
    assert.ok(visited.some((v) => v.startsWith(`${k.baseUrl}/sso/callback?`)));

    assert.equal(final.searchParams.get('state'), state);
    const tokens = await oidc.authorizationCodeGrant(config, final, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const claims = tokens.claims()!;
    assert.equal(claims.email, upstream.account.email);
    assert.equal(claims.name, upstream.account.name);
    const person = await k.services.store.db
      .selectFrom('people')
      .selectAll()
      .where('email', '=', upstream.account.email)
      .executeTakeFirstOrThrow();
    assert.equal(claims.sub, person.id);
    assert.equal(person.org_id, k.admin.orgId, "created in the connection's organization");
    assert.equal(person.password_hash, null);
    const row = (await credentialsRow(person.id))!;
    assert.ok(row, 'upstream credentials stored');
    assert.equal(row.upstream_subject, upstream.account.id);
    for (const sealed of [row.access_token_enc, row.refresh_token_enc, row.id_token_enc])
      assert.match(sealed!, /^v1\./);
    const upstreamAccess = k.services.box.decrypt(row.access_token_enc);
    assert.ok(!row.access_token_enc.includes(upstreamAccess));
    assert.equal((await upstream.userinfo(upstreamAccess)).status, 200);
    // The Keyward access token works on the management APIs like any person token.
    const me = await fetch(`${k.baseUrl}/v1/connections/upstream/users/${person.id}/credentials`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(me.status, 200, 'a person may read their own upstream credentials');
    assert.equal(((await me.json()) as any).accessToken, upstreamAccess);
    console.log(`# federated login round trip: ${Date.now() - started} ms`);
  });

  it('the credentials endpoint returns the upstream access token, and after expiry a refreshed one', async () => {
    const person = await k.services.store.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', upstream.account.email)
      .executeTakeFirstOrThrow();
    const before = (await credentialsRow(person.id))!;
    const path = `/v1/connections/upstream/users/${person.id}/credentials`;
    const first = await admin('GET', path);
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body), ['accessToken']);
    assert.equal(first.body.accessToken, k.services.box.decrypt(before.access_token_enc));
    assert.equal(
      (await admin('GET', path)).body.accessToken,
      first.body.accessToken,
      'not refreshed while valid',
    );
    // Wait for the upstream token to expire (Keyward refreshes 5 s before the provider's expiry).
    const wait = before.expires_at! - 5_000 - Date.now() + 200;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const refreshed = await admin('GET', path);
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.accessToken, first.body.accessToken);
    const info = await upstream.userinfo(refreshed.body.accessToken);
    assert.equal(info.status, 200);
    assert.equal(info.body.sub, upstream.account.id);
    const after = (await credentialsRow(person.id))!;
    assert.notEqual(
      k.services.box.decrypt(after.refresh_token_enc!),
      k.services.box.decrypt(before.refresh_token_enc!),
      'the rotated refresh token was stored',
    );
    assert.ok(after.expires_at! > before.expires_at!);
    assert.equal((await admin('GET', path)).body.accessToken, refreshed.body.accessToken);
  });

  it('credentials: 404 for a user who never signed in through the connection; 403 for people and read-only admins asking about others', async () => {
    const stranger = await insertPerson(k);
    const res = await admin('GET', `/v1/connections/upstream/users/${stranger.id}/credentials`);
    assert.equal(res.status, 404);
    assert.equal(res.body.errorCode, 'NotFound');
    assert.equal((await admin('GET', '/v1/connections/nope/users/x/credentials')).status, 404);
    const person = await k.services.store.db
      .selectFrom('people')
      .select('id')
      .where('email', '=', upstream.account.email)
      .executeTakeFirstOrThrow();
    const readOnly = await insertClient(k, {
      grantTypes: ['CLIENT_CREDENTIALS'],
      scopes: ['connections:read'],
      redirectUris: [],
    });
    await k.services.store.db
      .updateTable('oauth_clients')
      .set({ roles: JSON.stringify(['read_only_admin']) })
      .where('id', '=', readOnly.id)
      .execute();
    await k.services.clients.changed(readOnly.id);
    const tokenRes = await fetch(`${k.baseUrl}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: readOnly.id,
        client_secret: readOnly.secret!,
      }),
    });
    const denied = await caller(k, ((await tokenRes.json()) as any).access_token)(
      'GET',
      `/v1/connections/upstream/users/${person.id}/credentials`,
    );
    assert.equal(denied.status, 403);
    const other = await otherOrgAdmin(k);
    assert.equal(
      (await caller(k, other.token)('GET', `/v1/connections/upstream/users/${person.id}/credentials`)).status,
      404,
    );
    // a person (no admin role) signed in to an application may not read someone else's
    const { url, verifier, state, nonce } = await authorizeUrl();
    const back = await signInAndConsent(new FormBrowser(), url.href, stranger.email, stranger.password);
    const tokens = await oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const peek = await caller(k, tokens.access_token)(
      'GET',
      `/v1/connections/upstream/users/${person.id}/credentials`,
    );
    assert.equal(peek.status, 403);
    assert.equal(
      (
        await caller(k, tokens.access_token)(
          'GET',
          `/v1/connections/upstream/users/${stranger.id}/credentials`,
        )
      ).status,
      404,
      'their own: none stored',
    );
  });

  it("the login page offers a button per connection of the application's organization; it leads upstream", async () => {
    const { url } = await authorizeUrl();
    const browser = new FormBrowser();
    const page = await browser.get(url.href);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Sign in with Upstream IdP/);
    assert.match(html, /Sign in with Fake IdP/);
    assert.doesNotMatch(html, /Sign in with saml/i, 'SAML2 connections cannot sign in: no button');
    const href = html
      .match(/<a class="connection" href="([^"]+)">Sign in with Upstream IdP/)![1]!
      .replace(/&amp;/g, '&');
    const follow = await browser.get(new URL(href, k.baseUrl).href);
    assert.equal(follow.status, 303);
    assert.ok(follow.headers.get('location')!.startsWith(`${upstream.issuer}/auth?`));
    // a second login of the same upstream account links to the same person (no duplicate)
    const people = await count('people');
    const { url: again, verifier, state, nonce } = await authorizeUrl({ connection_id: 'upstream' });
    const { final } = await driveFederatedLogin(new FormBrowser(), again.href, {
      appRedirect: REDIRECT,
      upstreamLogin: upstream.account.id,
    });
    const tokens = await oidc.authorizationCodeGrant(config, final, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(await count('people'), people);
    assert.equal(tokens.claims()!.email, upstream.account.email);
  });

  it('unknown, foreign and SAML2 connections answer the application with a clear invalid_request', async () => {
    const other = await otherOrgAdmin(k);
    await caller(k, other.token)('POST', '/v1/connections', {
      connectionId: 'theirs',
      authenticationUrl: `${upstream.issuer}/auth`,
      tokenUrl: `${upstream.issuer}/token`,
      clientId: 'x',
    });
    for (const [id, reason] of [
      ['nope', /Unknown connection nope/],
      ['theirs', /Unknown connection theirs/],
      ['saml', /SAML sign-in is not supported/],
    ] as const) {
      const { url } = await authorizeUrl({ connection_id: id });
      const res = await new FormBrowser().get(url.href);
      assert.equal(res.status, 303);
      const back = new URL(res.headers.get('location')!);
      assert.ok(back.href.startsWith(REDIRECT));
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.match(back.searchParams.get('error_description')!, reason);
    }
  });
});
