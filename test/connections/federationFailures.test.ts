import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertPerson } from '../support/fixtures.js';
import { FormBrowser } from '../support/formBrowser.js';
import type { Harness } from '../support/harness.js';
import { otherOrgAdmin } from './support/connectionsSupport.js';
import { REDIRECT, startFederationScene, type FederationScene } from './support/federationScene.js';

/**
 * Federation bad input: the upstream answers an error, a wrong-nonce or wrongly signed ID token,
 * an unverified email...; or the callback's state does not match. The login fails cleanly (the
 * application hears access_denied, or an error page when the state is not trustworthy) and
 * nothing is stored: no person, no credentials, no session.
 */
describe('federation failures through a misbehaving provider', () => {
  let scene: FederationScene;
  let k: Harness;
  let fake: FederationScene['fake'];
  const authorizeUrl = (extra?: Record<string, string>) => scene.authorizeUrl(extra);
  const count = (table: 'people' | 'connection_credentials' | 'login_sessions') => scene.count(table);

  before(async () => {
    scene = await startFederationScene();
    ({ k, fake } = scene);
  });
  after(() => scene?.close());

  /** Starts a login through the fake provider; returns the browser and the upstream state. */
  async function startFake() {
    const { url } = await authorizeUrl({ connection_id: 'fake' });
    const browser = new FormBrowser();
    const res = await browser.get(url.href);
    assert.equal(res.status, 303);
    const upstreamUrl = new URL(res.headers.get('location')!);
    assert.ok(upstreamUrl.href.startsWith(`${fake.issuer}/authorize?`));
    fake.state.nonce = upstreamUrl.searchParams.get('nonce')!;
    return { browser, state: upstreamUrl.searchParams.get('state')! };
  }

  const snapshot = async () => ({
    people: await count('people'),
    credentials: await count('connection_credentials'),
    sessions: await count('login_sessions'),
  });

  describe('a failed upstream login fails cleanly and stores nothing', () => {
    const bad = [
      ['upstream error', 'ok', { error: 'access_denied' }, /did not sign you in \(access_denied\)/],
      // The upstream's own words are never repeated to the browser (issue 13 §3).
      ['upstream error text', 'ok', { error: 'evil <b>text</b>' }, /^[^<]*\(unknown_error\)\.$/],
      [
        'token endpoint error',
        'token-error',
        {},
        /^The identity provider's token endpoint refused the request \(HTTP 400\)\.$/,
      ],
      ['wrong nonce', 'wrong-nonce', {}, /nonce/],
      [
        'wrongly signed ID token',
        'wrong-signature',
        {},
        /ID token is not valid \(ERR_JWS_SIGNATURE_VERIFICATION_FAILED\)/,
      ],
      ['HS256 ID token', 'hs256', {}, /ID token is not valid/],
      ['ID token for another audience', 'wrong-audience', {}, /ID token is not valid/],
      ['ID token from another issuer', 'wrong-issuer', {}, /ID token is not valid/],
      ['no ID token from an OIDC provider', 'no-id-token', {}, /no ID token/],
      ['unverified email', 'unverified-email', {}, /verified/],
    ] as const;
    for (const [name, mode, extra, reason] of bad) {
      it(name, async () => {
        fake.state.mode = mode;
        fake.state.email = 'mallory@fake.test';
        const { browser, state } = await startFake();
        const before = await snapshot();
        const query = new URLSearchParams({ state, ...('error' in extra ? extra : { code: 'any-code' }) });
        const res = await browser.get(`${k.baseUrl}/sso/callback?${query}`);
        assert.equal(res.status, 303, await res.clone().text());
        const back = new URL(res.headers.get('location')!);
        assert.ok(back.href.startsWith(REDIRECT), 'the application learns of the failure');
        assert.equal(back.searchParams.get('error'), 'access_denied');
        assert.match(back.searchParams.get('error_description')!, reason);
        assert.deepEqual(await snapshot(), before, 'no person, credentials or session stored');
        assert.ok(!res.headers.getSetCookie().some((c) => c.startsWith('kw_session=')));
        assert.equal(
          await k.services.store.db
            .selectFrom('people')
            .select('id')
            .where('email', '=', 'mallory@fake.test')
            .executeTakeFirst(),
          undefined,
        );
      });
    }

    it("a state that does not match (unknown, another browser's, replayed) shows an error page and stores nothing", async () => {
      fake.state.mode = 'ok';
      const before = await snapshot();
      const { browser, state } = await startFake();
      const unknown = await browser.get(`${k.baseUrl}/sso/callback?code=x&state=not-the-state`);
      assert.equal(unknown.status, 400);
      assert.match(await unknown.text(), /does not match a sign-in in progress/);
      const elsewhere = await new FormBrowser().get(`${k.baseUrl}/sso/callback?code=x&state=${state}`);
      assert.equal(elsewhere.status, 400);
      assert.match(await elsewhere.text(), /started in another browser/);
      const missing = await browser.get(`${k.baseUrl}/sso/callback?code=x`);
      assert.equal(missing.status, 400);
      assert.deepEqual(await snapshot(), before);
      // the legitimate browser may still complete, once
      fake.state.email = 'fake.user@fake.test';
      const ok = await browser.get(`${k.baseUrl}/sso/callback?code=x&state=${state}`);
      assert.equal(ok.status, 200, "Keyward's consent page for the application");
      assert.match(await ok.text(), /Allow access\?/);
      const replay = await browser.get(`${k.baseUrl}/sso/callback?code=x&state=${state}`);
      assert.equal(replay.status, 400);
      assert.match(await replay.text(), /already used/);
      // JSON body by default (supportedContentType absent → application/json), client secret in the body
      const last = fake.state.tokenRequests.at(-1)!;
      assert.equal(last.contentType, 'application/json');
      assert.deepEqual(Object.keys(JSON.parse(last.body)).sort(), [
        'client_id',
        'client_secret',
        'code',
        'code_verifier',
        'grant_type',
        'redirect_uri',
      ]);
    });

    it('an upstream email of a person in another organization is never linked', async () => {
      const other = await otherOrgAdmin(k);
      const victim = await insertPerson(k, { orgId: other.orgId, email: 'victim@other.test' });
      fake.state.mode = 'ok';
      fake.state.email = victim.email;
      const { browser, state } = await startFake();
      const before = await snapshot();
      const res = await browser.get(`${k.baseUrl}/sso/callback?code=x&state=${state}`);
      assert.equal(res.status, 303);
      const back = new URL(res.headers.get('location')!);
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.match(back.searchParams.get('error_description')!, /belongs to another organization/);
      assert.deepEqual(await snapshot(), before);
    });
  });
});
