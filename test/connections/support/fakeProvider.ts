/**
 * A deliberately misbehaving OpenID provider for the federation "bad input" tests: discovery and
 * JWKS are honest, the token endpoint answers per `mode` (a wrong nonce, a foreign signature, an
 * unverified email, an error...). The test starts the login at Keyward, then calls /sso/callback
 * itself with any code: only the token endpoint matters.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, SignJWT } from 'jose';
import { freePort } from '../../support/harness.js';

export type FakeMode =
  | 'ok'
  | 'wrong-nonce'
  | 'wrong-signature'
  | 'wrong-audience'
  | 'wrong-issuer'
  | 'unverified-email'
  | 'no-id-token'
  | 'token-error'
  | 'hs256';

export async function startFakeProvider(clientId: string) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const honest = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(await exportJWK(honest.publicKey)), kid: 'honest', alg: 'RS256', use: 'sig' };
  const state = {
    mode: 'ok' as FakeMode,
    nonce: '',
    email: 'mallory@fake.test',
    tokenRequests: [] as { contentType: string; body: string }[],
  };

  const idToken = async () => {
    const claims: Record<string, unknown> = {
      sub: 'fake-sub',
      email: state.email,
      email_verified: state.mode !== 'unverified-email',
      nonce: state.mode === 'wrong-nonce' ? 'not-the-nonce' : state.nonce,
    };
    if (state.mode === 'hs256') {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(issuer)
        .setAudience(clientId)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'honest' })
      .setIssuer(state.mode === 'wrong-issuer' ? 'https://someone-else.example' : issuer)
      .setAudience(state.mode === 'wrong-audience' ? 'another-client' : clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(state.mode === 'wrong-signature' ? forger.privateKey : honest.privateKey);
  };

  const server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url!, issuer).pathname;
    if (path === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
      });
    }
    if (path === '/jwks') return json(200, { keys: [jwk] });
    if (path === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      state.tokenRequests.push({ contentType: String(req.headers['content-type']), body });
      if (state.mode === 'token-error')
        return json(400, { error: 'invalid_grant', error_description: 'code expired' });
      return json(200, {
        access_token: 'fake-access-token',
        token_type: 'Bearer',
        expires_in: 300,
        ...(state.mode === 'no-id-token' ? {} : { id_token: await idToken() }),
      });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { issuer, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
