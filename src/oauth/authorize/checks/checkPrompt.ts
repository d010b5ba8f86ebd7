import type { OAuthContext } from '../../context.js';
import { AuthorizeError, type AuthorizeRequest } from '../request.js';

// select_account: a person has one account here, so there is nothing to choose (a no-op).
export const PROMPTS = ['none', 'login', 'consent', 'select_account'];

/** OIDC `prompt`, `max_age` and `nonce`. */
export function checkPrompt(_ctx: OAuthContext, req: AuthorizeRequest): void {
  const prompts = new Set((req.params.prompt ?? '').split(' ').filter(Boolean));
  for (const p of prompts)
    if (!PROMPTS.includes(p)) throw new AuthorizeError('invalid_request', `Unsupported prompt value: ${p}.`);
  if (prompts.has('none') && prompts.size > 1)
    throw new AuthorizeError('invalid_request', 'prompt=none cannot be combined with other values.');
  req.prompts = prompts;
  const maxAge = req.params.max_age;
  if (maxAge !== undefined) {
    if (!/^\d{1,9}$/.test(maxAge))
      throw new AuthorizeError('invalid_request', 'max_age must be a non-negative integer.');
    req.maxAgeSeconds = Number(maxAge);
  }
  if ((req.params.nonce?.length ?? 0) > 512 || (req.params.state?.length ?? 0) > 2048) {
    throw new AuthorizeError('invalid_request', 'nonce or state is too long.');
  }
}
