/**
 * The federation tests' world: a listening Keyward, the real upstream oidc-provider, the fake
 * provider, connections to both (plus a SAML2 one), an application and its openid-client config.
 */
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { insertClient, type TestClient } from '../../support/fixtures.js';
import { startKeyward, type Harness } from '../../support/harness.js';
import { caller, CERT_PEM } from './connectionsSupport.js';
import { startFakeProvider } from './fakeProvider.js';
import { startUpstream, type Upstream } from './upstream.js';

export const REDIRECT = 'http://127.0.0.1:9/callback';

export interface FederationScene {
  k: Harness;
  upstream: Upstream;
  fake: Awaited<ReturnType<typeof startFakeProvider>>;
  app: TestClient;
  config: oidc.Configuration;
  admin: ReturnType<typeof caller>;
  authorizeUrl(
    extra?: Record<string, string>,
  ): Promise<{ url: URL; verifier: string; state: string; nonce: string }>;
  count(table: 'people' | 'connection_credentials' | 'login_sessions'): Promise<number>;
  close(): Promise<void>;
}

export async function startFederationScene(options: { upstreamTtl?: number } = {}): Promise<FederationScene> {
  // The upstreams listen on loopback: the operator allows it, as a development setup would.
  const k = await startKeyward({
    listen: true,
    env: { KEYWARD_RATE_LIMIT_MAX: '0', KEYWARD_UPSTREAM_ALLOW: '127.0.0.1' },
  });
  const upstream = await startUpstream({
    redirectUri: `${k.baseUrl}/sso/callback`,
    accessTokenTtl: options.upstreamTtl,
  });
  const fake = await startFakeProvider('keyward-at-fake');
  const admin = caller(k, await k.token());
  const connections = [
    {
      connectionId: 'upstream',
      type: 'OAUTH2',
      authenticationUrl: `${upstream.issuer}/auth`,
      tokenUrl: `${upstream.issuer}/token`,
      issuerUrl: upstream.issuer,
      clientId: upstream.clientId,
      clientSecret: upstream.clientSecret,
      data: { name: 'Upstream IdP', supportedContentType: 'application/x-www-form-urlencoded' },
      defaultConnectionProperties: { scope: 'openid email profile offline_access' },
    },
    {
      connectionId: 'fake',
      authenticationUrl: `${fake.issuer}/authorize`,
      tokenUrl: `${fake.issuer}/token`,
      issuerUrl: fake.issuer,
      clientId: 'keyward-at-fake',
      clientSecret: 'fake-secret',
      data: { name: 'Fake IdP' }, // default supportedContentType: application/json
    },
    {
      connectionId: 'saml',
      type: 'SAML2',
      authenticationUrl: 'https://idp.example.com/sso',
      providerCertificate: CERT_PEM,
    },
  ];
  for (const body of connections) {
    const res = await admin('POST', '/v1/connections', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  const app = await insertClient(k, { redirectUris: [REDIRECT], scopes: ['spark-admin:organizations_read'] });
  const config = await oidc.discovery(new URL(k.baseUrl), app.id, app.secret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  return {
    k,
    upstream,
    fake,
    app,
    config,
    admin,
    async authorizeUrl(extra = {}) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid email profile offline_access',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
      });
      return { url, verifier, state, nonce };
    },
    async count(table) {
      const row = await k.services.store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      await k.close();
      await upstream.close();
      await fake.close();
    },
  };
}
