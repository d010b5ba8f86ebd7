import type { OAuthContext } from '../context.js';
import { checkClient } from './checks/checkClient.js';
import { checkConnection } from './checks/checkConnection.js';
import { checkPkce } from './checks/checkPkce.js';
import { checkPrompt } from './checks/checkPrompt.js';
import { checkRedirectUri } from './checks/checkRedirectUri.js';
import { checkRequestObject } from './checks/checkRequestObject.js';
import { checkResponseType } from './checks/checkResponseType.js';
import { checkScope } from './checks/checkScope.js';
import { checkClaims } from './checks/checkClaims.js';
import { checkResponseMode } from './checks/checkResponseMode.js';
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
