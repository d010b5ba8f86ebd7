import { createRemoteJWKSet, customFetch, jwtVerify, type JWTPayload } from 'jose';
import {
  jwksFetch,
  OutboundFailed,
  OutboundRefused,
  type Outbound,
  type OutboundResponse,
  type RequestOptions,
} from '../../platform/outbound/index.js';
import type { TokenContentType } from './connectionModel.js';
import { DEFAULT_CONTENT_TYPE } from './connectionModel.js';

/**
 * Talking to an upstream identity provider: the token endpoint (code exchange, refresh), OIDC
 * discovery and JWKS, ID token validation, userinfo, all through the outbound policy. Every failure
 * is an UpstreamError whose message is safe to show: it never carries a token, a secret or text
 * the upstream wrote (that goes, redacted, in `detail`, for the server log only).
 */
export class UpstreamError extends Error {
  constructor(
    message: string,
    /** The provider answered and said no (4xx), as opposed to being unreachable or broken. */
    readonly refused = false,
    /** For the server log only: what the upstream said or why the call was refused (redacted). */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Long token-like runs (JWTs, codes, secrets) in upstream text are masked before logging. */
export function redactUpstreamText(value: unknown, max = 200): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value
    .slice(0, max)
    .replace(/[A-Za-z0-9._~+/=-]{20,}/g, '[redacted]')
    .replace(/[^\x20-\x7e]/g, '?');
}

const TIMEOUT_MS = 10_000;
const DISCOVERY_TTL_MS = 10 * 60_000;
/** Asymmetric algorithms only: an HMAC ID token would be keyed with the client secret. */
const ID_TOKEN_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

export interface TokenEndpoint {
  tokenUrl: string;
  clientId: string;
  clientSecret: string | null;
  contentType?: TokenContentType;
}

export interface UpstreamTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  tokenType?: string;
  scope?: string;
  /** Seconds, as the provider said. */
  expiresIn?: number;
}

interface Discovery {
  issuer: string;
  jwksUri: string;
  userinfoEndpoint?: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
  loadedAt: number;
}

export interface UpstreamIdentity {
  subject: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
  givenName?: string;
  familyName?: string;
}

function readJson(res: OutboundResponse, what: string): Record<string, unknown> {
  const text = res.body.toString('utf8');
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new UpstreamError(`The identity provider's ${what} did not answer JSON (HTTP ${res.status}).`);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export class UpstreamClient {
  private discoveries = new Map<string, Discovery>();

  constructor(private readonly outbound: Outbound) {}

  /** One outbound request; a refused destination or a network failure becomes an UpstreamError. */
  private async call(url: string, what: string, options: RequestOptions = {}): Promise<OutboundResponse> {
    try {
      return await this.outbound.request(url, { timeoutMs: TIMEOUT_MS, ...options });
    } catch (error) {
      if (error instanceof OutboundRefused)
        throw new UpstreamError(
          `The identity provider's ${what} is not an address Keyward may call.`,
          false,
          {
            refusal: error.message,
          },
        );
      if (error instanceof OutboundFailed)
        throw new UpstreamError(`The identity provider's ${what} could not be reached.`, false, {
          failure: error.message,
        });
      throw error;
    }
  }

  /** POST to the token endpoint, JSON or form body per the connection's supportedContentType. */
  async tokenRequest(endpoint: TokenEndpoint, fields: Record<string, string>): Promise<UpstreamTokens> {
    const body: Record<string, string> = { ...fields, client_id: endpoint.clientId };
    if (endpoint.clientSecret) body.client_secret = endpoint.clientSecret;
    const json = (endpoint.contentType ?? DEFAULT_CONTENT_TYPE) === 'application/json';
    const res = await this.call(endpoint.tokenUrl, 'token endpoint', {
      method: 'POST',
      headers: {
        'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
    });
    const answer = readJson(res, 'token endpoint');
    if (res.status !== 200) {
      throw new UpstreamError(
        `The identity provider's token endpoint refused the request (HTTP ${res.status}).`,
        res.status >= 400 && res.status < 500,
        {
          status: res.status,
          error: redactUpstreamText(answer.error, 64),
          error_description: redactUpstreamText(answer.error_description),
        },
      );
    }
    const accessToken = str(answer.access_token);
    if (!accessToken) throw new UpstreamError('The identity provider returned no access_token.');
    const expiresIn = Number(answer.expires_in);
    return {
      accessToken,
      refreshToken: str(answer.refresh_token),
      idToken: str(answer.id_token),
      tokenType: str(answer.token_type),
      scope: str(answer.scope),
      expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
    };
  }

  /** OIDC discovery from the issuer URL (cached); the document's `issuer` must match it. */
  async discover(issuerUrl: string): Promise<Discovery> {
    const cached = this.discoveries.get(issuerUrl);
    if (cached && Date.now() - cached.loadedAt < DISCOVERY_TTL_MS) return cached;
    const base = issuerUrl.replace(/\/+$/, '');
    const res = await this.call(`${base}/.well-known/openid-configuration`, 'discovery document', {
      headers: { accept: 'application/json' },
    });
    if (res.status !== 200)
      throw new UpstreamError(`The identity provider's discovery document answered HTTP ${res.status}.`);
    const doc = readJson(res, 'discovery document');
    const issuer = str(doc.issuer);
    if (!issuer || (issuer !== issuerUrl && issuer.replace(/\/+$/, '') !== base)) {
      throw new UpstreamError(
        "The identity provider's discovery document names another issuer than the connection's issuerUrl.",
      );
    }
    const jwksUri = str(doc.jwks_uri);
    if (!jwksUri) throw new UpstreamError("The identity provider's discovery document has no jwks_uri.");
    const refusal = this.outbound.policy.urlRefusal(jwksUri);
    if (refusal)
      throw new UpstreamError("The identity provider's jwks_uri is not an address Keyward may call.", false, {
        refusal: `jwks_uri ${refusal}`,
      });
    const found: Discovery = {
      issuer,
      jwksUri,
      userinfoEndpoint: str(doc.userinfo_endpoint),
      jwks: createRemoteJWKSet(new URL(jwksUri), {
        timeoutDuration: TIMEOUT_MS,
        [customFetch]: jwksFetch(this.outbound),
      }),
      loadedAt: Date.now(),
    };
    this.discoveries.set(issuerUrl, found);
    return found;
  }

  /** OIDC Core §3.1.3.7: signature (issuer's JWKS), iss, aud, exp, and the nonce we sent. */
  async validateIdToken(
    idToken: string,
    issuerUrl: string,
    clientId: string,
    nonce: string,
  ): Promise<{ claims: JWTPayload; discovery: Discovery }> {
    const discovery = await this.discover(issuerUrl);
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(idToken, discovery.jwks, {
        issuer: discovery.issuer,
        audience: clientId,
        algorithms: ID_TOKEN_ALGS,
        clockTolerance: 60,
      }));
    } catch (error) {
      if (error instanceof OutboundRefused || error instanceof OutboundFailed)
        throw new UpstreamError("The identity provider's JWKS could not be fetched.", false, {
          failure: error.message,
        });
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      throw new UpstreamError(`The identity provider's ID token is not valid (${code}).`);
    }
    if (claims.nonce !== nonce)
      throw new UpstreamError("The identity provider's ID token does not carry the nonce of this login.");
    if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== clientId) {
      throw new UpstreamError("The identity provider's ID token was issued to another party (azp).");
    }
    if (!str(claims.sub)) throw new UpstreamError("The identity provider's ID token has no subject.");
    return { claims, discovery };
  }

  /** GET a userinfo endpoint with the upstream access token. */
  async userinfo(endpoint: string, accessToken: string): Promise<Record<string, unknown>> {
    const res = await this.call(endpoint, 'userinfo endpoint', {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    if (res.status !== 200)
      throw new UpstreamError(`The identity provider's userinfo endpoint answered HTTP ${res.status}.`);
    return readJson(res, 'userinfo endpoint');
  }
}

/** Who the person is upstream, from validated claims (ID token, then userinfo for the rest). */
export function identityFrom(claims: Record<string, unknown>): UpstreamIdentity {
  return {
    subject: String(claims.sub ?? ''),
    email: str(claims.email)?.toLowerCase(),
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    name: str(claims.name),
    givenName: str(claims.given_name),
    familyName: str(claims.family_name),
  };
}
