/**
 * Sign-in as an OAuth public client of this Keyward: authorization code + PKCE (S256). Tokens live
 * in this module only (never storage); the refresh token rotates on every use. The PKCE verifier
 * and state survive the redirect in sessionStorage (they are not credentials on their own).
 */
export const CLIENT_ID = 'keyward-console';
const BASE = '/console/';
const PENDING = 'keyward-console:pending';

interface Tokens {
  accessToken: string;
  refreshToken?: string;
  /** Kept for RP-initiated logout's id_token_hint (a hint-less logout asks the person to confirm). */
  idToken?: string;
  expiresAt: number;
}

let tokens: Tokens | undefined;
let refreshTimer: number | undefined;
let refreshing: Promise<boolean> | undefined;

const origin = () => window.location.origin;
export const callbackUri = () => `${origin()}${BASE}callback`;
export const signedOutUri = () => `${origin()}${BASE}signed-out`;

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

async function authorizeUrl(returnTo: string, extra: Record<string, string> = {}): Promise<string> {
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL('/oauth/authorize', origin());
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: callbackUri(),
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  }).toString();
  return url.href;
}

/** Leaves for /oauth/authorize; comes back to /console/callback. */
export async function signIn(returnTo = window.location.pathname + window.location.search): Promise<void> {
  window.location.assign(await authorizeUrl(returnTo));
}

/**
 * A fresh sign-in through one upstream connection, in a new tab (it inherits this tab's
 * sessionStorage, so the PKCE verifier travels with it). It replaces the browser's Keyward session.
 */
export async function testSignIn(connectionId: string): Promise<void> {
  window.open(await authorizeUrl(BASE, { connection_id: connectionId, prompt: 'login' }), '_blank');
}

async function tokenRequest(params: Record<string, string>): Promise<void> {
  const res = await fetch('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }).toString(),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new Error(body.error_description ?? body.error ?? `Token request failed (${res.status}).`);
  tokens = {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    idToken: body.id_token ?? tokens?.idToken,
    expiresAt: Date.now() + Number(body.expires_in ?? 300) * 1000,
  };
  scheduleRefresh();
}

function scheduleRefresh(): void {
  window.clearTimeout(refreshTimer);
  if (!tokens?.refreshToken) return;
  const inMs = Math.max(5_000, tokens.expiresAt - Date.now() - 60_000);
  refreshTimer = window.setTimeout(() => void refresh(), inMs);
}

/** Rotates the refresh token for a new access token; false when the session is over. */
export function refresh(): Promise<boolean> {
  if (!tokens?.refreshToken) return Promise.resolve(false);
  refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken })
    .then(() => true)
    .catch(() => {
      tokens = undefined;
      return false;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

/** On /console/callback: trades the code for tokens; returns where the admin was going. */
export async function completeSignIn(): Promise<string> {
  const params = new URLSearchParams(window.location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  if (params.get('error')) throw new Error(params.get('error_description') ?? params.get('error')!);
  if (!pending || params.get('state') !== pending.state)
    throw new Error('The sign-in response does not match this tab’s request. Sign in again.');
  await tokenRequest({
    grant_type: 'authorization_code',
    code: params.get('code') ?? '',
    redirect_uri: callbackUri(),
    code_verifier: pending.verifier,
  });
  const back =
    pending.returnTo.startsWith(BASE) && !pending.returnTo.startsWith(`${BASE}callback`)
      ? pending.returnTo
      : BASE;
  return back;
}

export function accessToken(): string | undefined {
  return tokens?.accessToken;
}

/** Revokes the refresh token, then RP-initiated logout ends the Keyward session too. */
export async function signOut(): Promise<void> {
  window.clearTimeout(refreshTimer);
  const refreshToken = tokens?.refreshToken;
  const idToken = tokens?.idToken;
  tokens = undefined;
  if (refreshToken) {
    await fetch('/oauth/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        token: refreshToken,
        token_type_hint: 'refresh_token',
      }).toString(),
    }).catch(() => {});
  }
  const url = new URL('/oauth/logout', origin());
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    post_logout_redirect_uri: signedOutUri(),
    ...(idToken ? { id_token_hint: idToken } : {}),
  }).toString();
  window.location.assign(url.href);
}
