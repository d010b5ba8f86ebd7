import { ACR_PASSWORD, ClaimsRequestError, parseClaimsRequest } from '../../../domain/identity/claims.js';
import type { OAuthContext } from '../../context.js';
import { verifyIdTokenHint } from '../../idTokenHint.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

/**
 * OIDC Core §5.5 `claims`, §3.1.2.1 `acr_values` and `id_token_hint`. Any requested acr is
 * answered with the one Keyward can assert (a password login) — acr_values are voluntary. A hint
 * that is not an ID token of ours is invalid_request; a valid one names the person the session
 * must belong to (checked in the login step).
 */
export async function checkClaims(ctx: OAuthContext, req: AuthorizeRequest): Promise<void> {
  try {
    req.claims = parseClaimsRequest(req.params.claims);
  } catch (error) {
    if (error instanceof ClaimsRequestError) throw new AuthorizeError('invalid_request', error.message);
    throw error;
  }
  if (req.params.acr_values !== undefined || req.claims?.id_token?.acr !== undefined) req.acr = ACR_PASSWORD;
  const hint = req.params.id_token_hint;
  if (hint !== undefined) {
    const verified = await verifyIdTokenHint(ctx, hint);
    if (!verified) throw new AuthorizeError('invalid_request', 'id_token_hint is not a valid ID token.');
    req.hintSubject = verified.sub;
  }
}
