import type { ClientRecord } from '../../domain/clients/clientRecord.js';
import type { Connection } from '../../domain/connections/connectionModel.js';
import type { ClaimsRequest } from '../../domain/identity/claims.js';

/** The parameters of an authorization request (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2.1). */
export const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
  'connection_id',
  'request',
  'request_uri',
  'response_mode',
  'claims',
  'acr_values',
  'id_token_hint',
] as const;

export type AuthorizeParams = Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>;

/** What the checks learn, in order; later checks may rely on earlier ones. */
export interface AuthorizeRequest {
  params: AuthorizeParams;
  /** Parameters sent more than once (RFC 6749 §3.1: must not be repeated). */
  repeated: string[];
  client?: ClientRecord;
  /** Set once the redirect URI is verified: from then on, errors go back to the client. */
  redirectUri?: string;
  scopes: string[];
  prompts: Set<string>;
  maxAgeSeconds?: number;
  /** How the response reaches the client (check_response_mode); errors before it use the query. */
  responseMode: 'query' | 'form_post';
  /** The `claims` parameter, parsed (check_claims). */
  claims?: ClaimsRequest;
  /** The acr to assert, when acr_values or the claims request asked for one. */
  acr?: string;
  /** The subject of a valid id_token_hint: the session must be that person's. */
  hintSubject?: string;
  /** The upstream identity provider named by `connection_id` (checked by check_connection). */
  connection?: Connection;
}

/** Reads the known parameters from a query string or a form; unknown ones are ignored (§3.1). */
export function readAuthorizeParams(source: Record<string, unknown>): AuthorizeRequest {
  const params: AuthorizeParams = {};
  const repeated: string[] = [];
  for (const name of AUTHORIZE_PARAMS) {
    const value = source[name];
    if (Array.isArray(value)) repeated.push(name);
    else if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return { params, repeated, scopes: [], prompts: new Set(), responseMode: 'query' };
}

/** An error of the authorization endpoint: redirected to the client once its redirect URI is known. */
export class AuthorizeError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    /** false: show an error page (unknown client, bad redirect URI) — never redirect. */
    readonly redirectable = true,
  ) {
    super(description);
  }
}
