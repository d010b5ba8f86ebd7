/**
 * Back-Channel Logout OP plan: OIDCCBackchannelRpInitiatedLogoutTestPlan of
 * openid-certification/conformance-suite (openid/backchannellogout/). The RP's back-channel
 * endpoint is a receiver on 127.0.0.1, reachable through the outbound-request policy
 * (KEYWARD_UPSTREAM_ALLOW=127.0.0.1).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { insertClient } from '../support/fixtures.js';
import { FormBrowser } from '../support/formBrowser.js';
import { authorizationUrl, codeFlow, LOGGED_OUT, startScene, type Scene } from './scene.js';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

describe('OpenID conformance: Back-Channel Logout OP plan (OIDCCBackchannelRpInitiatedLogoutTestPlan)', () => {
  let s: Scene;
  let receiver: Server;
  let receiverUrl: string;
  const received: { path: string; contentType: string; body: URLSearchParams }[] = [];

  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'] ?? '',
          body: new URLSearchParams(body),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    s = await startScene({ KEYWARD_UPSTREAM_ALLOW: '127.0.0.1' });
    await s.k.services.store.db
      .updateTable('oauth_clients')
      .set({ backchannel_logout_uri: `${receiverUrl}/bcl`, backchannel_logout_session_required: 1 })
      .where('id', '=', s.app.id)
      .execute();
    await s.k.services.clients.changed(s.app.id);
  });
  after(async () => {
    await s.close();
    await new Promise((r) => receiver.close(r));
  });

  // OIDCCBackchannelLogoutDiscoveryEndpointVerification: the three metadata fields.
  it('oidcc-backchannel-logout-discovery-endpoint-verification', () => {
    assert.equal(s.discovery.backchannel_logout_supported, true);
    assert.equal(s.discovery.backchannel_logout_session_supported, true);
    assert.ok(s.discovery.end_session_endpoint);
  });

  // OIDCCBackchannelRpInitiatedLogout: RP-initiated logout → a logout token POSTed to the client's
  // backchannel_logout_uri (iss, aud, iat, jti, events, sid matching the ID token's, sub, no nonce,
  // typ logout+jwt), the redirect to post_logout_redirect_uri, then prompt=none fails.
  it('oidcc-backchannel-rp-initiated-logout', async () => {
    // Another client in another session must not be told.
    const bystander = await insertClient(s.k, { scopes: [] });
    await s.k.services.store.db
      .updateTable('oauth_clients')
      .set({ backchannel_logout_uri: `${receiverUrl}/other` })
      .where('id', '=', bystander.id)
      .execute();

    const { tokens, idToken, browser } = await codeFlow(s);
    assert.ok(typeof idToken.sid === 'string' && idToken.sid.length > 0, 'the ID token has a sid');
    received.length = 0;
    const res = await browser.get(
      `${s.discovery.end_session_endpoint as string}?${new URLSearchParams({
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: LOGGED_OUT,
        state: 'bc',
      })}`,
    );
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${LOGGED_OUT}?state=bc`);

    assert.equal(received.length, 1, 'one logout token, to the client of the session only');
    const [delivery] = received;
    assert.equal(delivery!.path, '/bcl');
    assert.match(delivery!.contentType, /^application\/x-www-form-urlencoded/);
    const logoutToken = delivery!.body.get('logout_token')!;
    assert.equal(decodeProtectedHeader(logoutToken).typ, 'logout+jwt');
    const jwks = createRemoteJWKSet(new URL(s.discovery.jwks_uri as string));
    const { payload } = await jwtVerify(logoutToken, jwks, { issuer: s.k.baseUrl, audience: s.app.id });
    assert.ok(typeof payload.iat === 'number' && typeof payload.jti === 'string');
    assert.deepEqual(payload.events, { [EVENT]: {} });
    assert.equal(payload.sid, idToken.sid);
    assert.equal(payload.sub, s.person.id);
    assert.equal(payload.nonce, undefined);

    const { url } = authorizationUrl(s, { extra: { prompt: 'none' } });
    const back = new URL((await browser.get(url.href)).headers.get('location')!);
    assert.equal(back.searchParams.get('error'), 'login_required');
  });

  // A receiver the outbound policy does not allow is never contacted; logout still completes.
  it('logout completes when a back-channel URI is unreachable', async () => {
    await s.k.services.store.db
      .updateTable('oauth_clients')
      .set({ backchannel_logout_uri: 'http://127.0.0.1:9/bcl' })
      .where('id', '=', s.app.id)
      .execute();
    await s.k.services.clients.changed(s.app.id);
    const { tokens, browser } = await codeFlow(s);
    const res = await browser.get(
      `${s.discovery.end_session_endpoint as string}?${new URLSearchParams({ id_token_hint: tokens.id_token! })}`,
    );
    assert.equal(res.status, 200);
    const { url } = authorizationUrl(s, { extra: { prompt: 'none' } });
    const back = new URL((await new FormBrowser().get(url.href)).headers.get('location')!);
    assert.equal(back.searchParams.get('error'), 'login_required');
  });
});
