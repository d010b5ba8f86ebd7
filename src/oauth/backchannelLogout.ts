import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { clientsOfSession } from '../domain/identity/sessionClients.js';
import type { LoginSession } from '../domain/sessions/loginSessions.js';
import { signJwt } from '../domain/tokens/jwt.js';
import type { OAuthContext } from './context.js';

export const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * OIDC Back-Channel Logout 1.0: when a login session ends, every client that obtained a code in
 * it and registered a backchannel_logout_uri gets a logout token (typ logout+jwt, events, sub and
 * sid, no nonce; §2.4), POSTed through the outbound-request policy (which decides which hosts are
 * reachable). Deliveries run in parallel, bounded by the policy's timeouts; a client that fails
 * is logged, never blocks the logout (§2.8: the OP cannot make the RP act).
 */
export async function sendLogoutTokens(
  ctx: OAuthContext,
  session: LoginSession,
  log: FastifyBaseLogger,
): Promise<void> {
  if (!ctx.outbound) return;
  const outbound = ctx.outbound;
  const clientIds = await clientsOfSession(ctx.db, session.sid);
  const clients = (await Promise.all(clientIds.map((id) => ctx.clients.find(id)))).filter(
    (c) => c?.enabled && c.backchannelLogoutUri,
  );
  await Promise.all(
    clients.map(async (client) => {
      const token = logoutToken(ctx, client!.id, session);
      try {
        const res = await outbound.request(client!.backchannelLogoutUri!, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ logout_token: token }).toString(),
        });
        if (res.status !== 200 && res.status !== 204)
          log.warn({ clientId: client!.id, status: res.status }, 'back-channel logout refused');
      } catch (error) {
        log.warn({ clientId: client!.id, reason: (error as Error).message }, 'back-channel logout failed');
      }
    }),
  );
}

function logoutToken(ctx: OAuthContext, clientId: string, session: LoginSession): string {
  const iat = Math.floor(Date.now() / 1000);
  const key = ctx.keys.current(ctx.idTokens.alg);
  return signJwt(
    { alg: ctx.idTokens.alg, kid: key.kid, typ: 'logout+jwt' },
    {
      iss: ctx.issuer,
      aud: clientId,
      iat,
      exp: iat + 120,
      jti: randomBytes(16).toString('base64url'),
      sub: session.personId,
      sid: session.sid,
      events: { [LOGOUT_EVENT]: {} },
    },
    key.privateKey,
  );
}
