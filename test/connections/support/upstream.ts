/**
 * A REAL upstream OpenID provider for federation tests: npm `oidc-provider` on its own loopback
 * port, one confidential client (Keyward), one account, dev interactions (a plain login form and a
 * consent form) and a short access-token lifetime so refresh can be tested.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from '../../support/harness.js';

export interface UpstreamAccount {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

export interface Upstream {
  issuer: string;
  clientId: string;
  clientSecret: string;
  account: UpstreamAccount;
  provider: InstanceType<typeof Provider>;
  /** Calls the upstream userinfo endpoint: proves an access token is live there. */
  userinfo(accessToken: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startUpstream(options: {
  redirectUri: string;
  accessTokenTtl?: number;
  account?: Partial<UpstreamAccount>;
  /** A signing key of the provider's own JWKS; tests replace it to get wrongly signed ID tokens. */
  jwk?: Record<string, unknown>;
}): Promise<Upstream> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const account: UpstreamAccount = {
    id: 'upstream-user-1',
    email: 'ada@upstream.test',
    emailVerified: true,
    name: 'Ada Upstream',
    ...options.account,
  };
  const clientId = 'keyward-federation';
  const clientSecret = 'upstream-secret-for-keyward-0123456789';
  const jwk =
    options.jwk ??
    (generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<
      string,
      unknown
    >);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [{ ...jwk, kid: 'upstream-key-1', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['upstream-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      IdToken: 3600,
      RefreshToken: 86_400,
      Grant: 86_400,
      Session: 86_400,
      Interaction: 600,
    },
    // Refresh tokens for every code grant of a client allowed to refresh (no prompt=consent dance).
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    // Rotate on every use, like strict providers do: the stored refresh token must follow.
    rotateRefreshToken: () => true,
    findAccount: async (_ctx: unknown, id: string) =>
      id === account.id
        ? {
            accountId: id,
            claims: async () => ({
              sub: id,
              email: account.email,
              email_verified: account.emailVerified,
              name: account.name,
            }),
          }
        : undefined,
  } as any);
  provider.proxy = false;
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    account,
    provider,
    async userinfo(accessToken) {
      const res = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      return {
        status: res.status,
        body: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : {},
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
