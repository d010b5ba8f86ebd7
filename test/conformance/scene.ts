/**
 * Shared set-up for the OpenID conformance emulation (docs/conformance.md): a fresh Keyward over
 * real HTTP, a confidential client registered for the code flow, a person, and helpers that drive
 * the authorization endpoint the way the suite's modules do (a browser for the login and consent
 * pages, openid-client for the token exchange and ID token checks, jose for the signature).
 */
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { insertClient, insertPerson, type TestClient } from '../support/fixtures.js';
import { FormBrowser, signInAndConsent } from '../support/formBrowser.js';
import { startKeyward, type Harness } from '../support/harness.js';

export const REDIRECT = 'http://127.0.0.1:9/callback';
/** The client's one post-logout redirect URI (not among its login redirect URIs). */
export const LOGGED_OUT = 'http://127.0.0.1:9/logged-out';
export const PHONES = [
  { type: 'work', value: '+1 555 0100' },
  { type: 'mobile', value: '+1 555 0199', primary: true },
];
export const ADDRESS = {
  type: 'work',
  streetAddress: '1630 Revello Drive',
  locality: 'Sunnydale',
  region: 'CA',
  postalCode: '95037',
  country: 'US',
};

export interface Scene {
  k: Harness;
  app: TestClient;
  person: { id: string; email: string; password: string };
  /** openid-client configured with client_secret_basic (the plan's default variant). */
  config: oidc.Configuration;
  discovery: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startScene(env: Record<string, string> = {}): Promise<Scene> {
  const k = await startKeyward({ listen: true, env });
  const app = await insertClient(k, {
    redirectUris: [REDIRECT],
    postLogoutRedirectUris: [LOGGED_OUT],
    scopes: [],
  });
  const person = await insertPerson(k, { displayName: 'Buffy Summers' });
  // Webex-style contact facts behind the phone and address claims.
  await k.services.store.db
    .updateTable('people')
    .set({
      phone_numbers: JSON.stringify(PHONES),
      addresses: JSON.stringify([ADDRESS]),
    })
    .where('id', '=', person.id)
    .execute();
  const config = await oidc.discovery(
    new URL(k.baseUrl),
    app.id,
    undefined,
    oidc.ClientSecretBasic(app.secret!),
    { execute: [oidc.allowInsecureRequests] },
  );
  const discovery = (await (await fetch(`${k.baseUrl}/.well-known/openid-configuration`)).json()) as Record<
    string,
    unknown
  >;
  return { k, app, person, config, discovery, close: () => k.close() };
}

export interface AuthorizeParams {
  scope?: string;
  nonce?: string | null;
  extra?: Record<string, string>;
}

/** An authorization URL as the suite builds it: response_type=code, state, nonce (unless null). */
export function authorizationUrl(s: Scene, p: AuthorizeParams = {}) {
  const state = oidc.randomState();
  const nonce = p.nonce === null ? undefined : (p.nonce ?? oidc.randomNonce());
  const url = new URL(`${s.k.baseUrl}/oauth/authorize`);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: s.app.id,
    redirect_uri: REDIRECT,
    scope: p.scope ?? 'openid',
    state,
    ...(nonce ? { nonce } : {}),
    ...p.extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url, state, nonce };
}

export interface FlowResult {
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  callback: URL;
  idToken: JWTPayload;
  header: { alg: string; kid?: string };
  browser: FormBrowser;
}

/** Exchanges the callback's code (validating state, iss, nonce, the ID token) and checks its signature. */
export async function exchange(
  s: Scene,
  callback: URL,
  state: string,
  nonce: string | undefined,
  browser: FormBrowser,
  config = s.config,
  checks: { maxAge?: number; pkceCodeVerifier?: string } = {},
): Promise<FlowResult> {
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    expectedState: state,
    expectedNonce: nonce,
    ...checks,
  });
  assert.ok(tokens.id_token, 'the token response has an id_token');
  const jwks = createRemoteJWKSet(new URL(s.discovery.jwks_uri as string));
  const { payload, protectedHeader } = await jwtVerify(tokens.id_token, jwks, {
    issuer: s.k.baseUrl,
    audience: s.app.id,
  });
  return { tokens, callback, idToken: payload, header: protectedHeader as FlowResult['header'], browser };
}

/** A full code flow through the login (and consent) pages. */
export async function codeFlow(
  s: Scene,
  p: AuthorizeParams = {},
  browser = new FormBrowser(),
  checks: { maxAge?: number } = {},
): Promise<FlowResult> {
  const { url, state, nonce } = authorizationUrl(s, p);
  const callback = await signInAndConsent(browser, url.href, s.person.email, s.person.password);
  return exchange(s, callback, state, nonce, browser, s.config, checks);
}

/** A request that must answer without any page: the redirect back to the client. */
export async function silent(browser: FormBrowser, url: URL): Promise<URL> {
  const res = await browser.get(url.href);
  assert.equal(res.status, 303, `expected a redirect without user interaction, got ${res.status}`);
  return new URL(res.headers.get('location')!);
}

/** Which page the authorization endpoint shows: 'login', 'consent' or 'error' (with its status). */
export async function pageShown(browser: FormBrowser, url: URL): Promise<{ status: number; page: string }> {
  const res = await browser.get(url.href);
  const html = await res.text();
  if (res.status === 200 && html.includes('/oauth/authorize/login')) return { status: 200, page: 'login' };
  if (res.status === 200 && html.includes('/oauth/authorize/consent'))
    return { status: 200, page: 'consent' };
  return { status: res.status, page: res.status === 303 ? 'redirect' : 'error' };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
