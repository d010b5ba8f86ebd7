import type { OAuthContext } from '../context.js';
import { checkClaims } from './checks/check_claims.js';
import { checkClient } from './checks/check_client.js';
import { checkConnection } from './checks/check_connection.js';
import { checkPkce } from './checks/check_pkce.js';
import { checkPrompt } from './checks/check_prompt.js';
import { checkRedirectUri } from './checks/check_redirect_uri.js';
import { checkRequestObject } from './checks/check_request_object.js';
import { checkResponseMode } from './checks/check_response_mode.js';
import { checkResponseType } from './checks/check_response_type.js';
import { checkScope } from './checks/check_scope.js';
import type { AuthorizeRequest } from './request.js';

type Check = (ctx: OAuthContext, req: AuthorizeRequest) => void | Promise<void>;

/**
 * The authorization request pipeline: small named checks, in order. The first two decide whether
 * errors may be redirected to the client at all.
 */
export const AUTHORIZE_CHECKS: readonly Check[] = [
  checkClient,
  checkRedirectUri,
  checkResponseMode,
  checkRequestObject,
  checkResponseType,
  checkScope,
  checkPkce,
  checkPrompt,
  checkClaims,
  checkConnection,
];

export async function validateAuthorizeRequest(
  ctx: OAuthContext,
  req: AuthorizeRequest,
): Promise<AuthorizeRequest> {
  for (const check of AUTHORIZE_CHECKS) await check(ctx, req);
  return req;
}
