/**
 * Config OP plan: OIDCCConfigTestPlan (oidcc-config-certification-test-plan) of
 * openid-certification/conformance-suite — its one module, OIDCCDiscoveryEndpointVerification — and
 * the issue-22 items that belong to no module (docs/conformance.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormBrowser } from '../support/formBrowser.js';
import { authorizationUrl, codeFlow, exchange, REDIRECT, silent, startScene, type Scene } from './scene.js';

// Registered metadata names (OpenID Connect Discovery 1.0 §3, RFC 8414 §2, RFC 9207, RFC 9126,
// the logout specs): anything else gets the suite's CheckForUnexpectedParametersInServerMetadata warning.
const REGISTERED = new Set(
  `issuer authorization_endpoint token_endpoint userinfo_endpoint jwks_uri registration_endpoint
  scopes_supported response_types_supported response_modes_supported grant_types_supported
  acr_values_supported subject_types_supported id_token_signing_alg_values_supported
  id_token_encryption_alg_values_supported id_token_encryption_enc_values_supported
  userinfo_signing_alg_values_supported userinfo_encryption_alg_values_supported
  userinfo_encryption_enc_values_supported request_object_signing_alg_values_supported
  request_object_encryption_alg_values_supported request_object_encryption_enc_values_supported
  token_endpoint_auth_methods_supported token_endpoint_auth_signing_alg_values_supported
  display_values_supported claim_types_supported claims_supported service_documentation
  claims_locales_supported ui_locales_supported claims_parameter_supported request_parameter_supported
  request_uri_parameter_supported require_request_uri_registration op_policy_uri op_tos_uri
  revocation_endpoint revocation_endpoint_auth_methods_supported
  revocation_endpoint_auth_signing_alg_values_supported introspection_endpoint
  introspection_endpoint_auth_methods_supported introspection_endpoint_auth_signing_alg_values_supported
  code_challenge_methods_supported prompt_values_supported authorization_response_iss_parameter_supported
  pushed_authorization_request_endpoint require_pushed_authorization_requests end_session_endpoint
  backchannel_logout_supported backchannel_logout_session_supported frontchannel_logout_supported
  frontchannel_logout_session_supported check_session_iframe`.split(/\s+/),
);

describe('OpenID conformance: Config OP plan (OIDCCConfigTestPlan)', () => {
  let s: Scene;
  before(async () => {
    s = await startScene();
  });
  after(() => s.close());

  // OIDCCDiscoveryEndpointVerification: the discovery document holds what the specs require. Not
  // reproduced: CheckDiscEndpointAllEndpointsAreHttps (the test server is http; the issuer and so
  // every endpoint is https in production).
  it('oidcc-discovery-endpoint-verification', async () => {
    const res = await fetch(`${s.k.baseUrl}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    const m = (await res.json()) as Record<string, unknown>;
    const list = (name: string) => m[name] as string[];
    assert.equal(m.issuer, s.k.baseUrl); // CheckDiscEndpointIssuer
    const issuer = new URL(m.issuer as string);
    assert.equal(issuer.search + issuer.hash, ''); // CheckDiscEndpointIssuerIsValidUrl
    assert.ok(list('response_types_supported').includes('code'));
    assert.ok(list('subject_types_supported').every((t) => ['public', 'pairwise'].includes(t)));
    assert.ok(list('id_token_signing_alg_values_supported').includes('RS256'));
    for (const e of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri'])
      assert.ok(new URL(m[e] as string).href.startsWith(s.k.baseUrl), e);
    const jwks = (await (await fetch(m.jwks_uri as string)).json()) as { keys: Record<string, string>[] };
    assert.ok(jwks.keys.some((k) => k.kty === 'RSA' && k.n && k.e && k.kid)); // ValidateServerJWKs
    assert.ok(jwks.keys.every((k) => k.kid && !('d' in k)));
    assert.ok(list('scopes_supported').includes('openid'));
    assert.ok(list('scopes_supported').every((sc) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(sc)));
    assert.ok(list('grant_types_supported').includes('authorization_code'));
    assert.ok(Array.isArray(m.code_challenge_methods_supported));
    const unexpected = Object.keys(m).filter((k) => !REGISTERED.has(k));
    assert.deepEqual(unexpected, []); // CheckForUnexpectedParametersInServerMetadata
    // Reported by the suite (CheckDiscEndpointRequest[Uri]ParameterSupported): must be accurate.
    assert.equal(m.request_parameter_supported, false);
    assert.equal(m.request_uri_parameter_supported, false);
  });
});

describe('issue 22 items outside the plans', () => {
  let s: Scene;
  before(async () => {
    s = await startScene();
  });
  after(() => s.close());

  it('prompt=select_account is a no-op (one account per person), advertised', async () => {
    assert.ok((s.discovery.prompt_values_supported as string[]).includes('select_account'));
    const first = await codeFlow(s);
    const { url, state, nonce } = authorizationUrl(s, { extra: { prompt: 'select_account' } });
    const second = await exchange(s, await silent(first.browser, url), state, nonce, first.browser);
    assert.equal(second.idToken.sub, s.person.id);
  });

  it('prompt=none with select_account is refused, never half-applied', async () => {
    const { url } = authorizationUrl(s, { extra: { prompt: 'none select_account' } });
    const back = await silent(new FormBrowser(), url);
    assert.equal(back.origin + back.pathname, REDIRECT);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.equal(back.searchParams.get('code'), null);
  });

  it('userinfo refuses a token sent both in the header and in the body (RFC 6750 §2)', async () => {
    const { tokens } = await codeFlow(s);
    const res = await fetch(s.discovery.userinfo_endpoint as string, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
  });

  it('userinfo ignores access_token in a GET query (only header, or a form POST body)', async () => {
    const { tokens } = await codeFlow(s);
    const url = `${s.discovery.userinfo_endpoint as string}?access_token=${tokens.access_token}`;
    assert.equal((await fetch(url)).status, 401);
  });

  it('POST /oauth/authorize refuses what GET refuses (same pipeline): unregistered redirect_uri', async () => {
    const { url } = authorizationUrl(s, { extra: { redirect_uri: 'http://127.0.0.1:9/elsewhere' } });
    const res = await new FormBrowser().post(
      `${s.k.baseUrl}/oauth/authorize`,
      Object.fromEntries(url.searchParams),
    );
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });

  it('POST /oauth/authorize with a JSON body is not an authorization request', async () => {
    const res = await fetch(`${s.k.baseUrl}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: s.app.id, redirect_uri: REDIRECT, response_type: 'code' }),
    });
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.equal(res.headers.get('location'), null);
  });
});
