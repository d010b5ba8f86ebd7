import type { FastifyRequest } from 'fastify';
import type { DestinationStream, LoggerOptions } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Query parameters whose values never reach a log line: anything whose name says it carries a
 * token, secret, credential or hint (id_token_hint is a whole ID token; login_hint an email).
 * Matched by name fragment, so new parameters of the same kind are covered without a list edit.
 */
const SECRET_PARAMS =
  /(token|secret|pass|code|verifier|assertion|hint|state|nonce|key|credential|session|ticket|otp|saml|jwt|dpop|^request$|^email$)/i;

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SECRET_PARAMS.test(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

/** Request and response headers that carry credentials; any logged header object omits them. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'dpop', 'x-api-key'];

export function loggerOptions(level: LogLevel, stream?: DestinationStream): LoggerOptions {
  return {
    level,
    ...(stream ? { stream } : {}),
    // Defence in depth: nothing logs headers or bodies today, but if someone does, secrets stay out.
    redact: {
      paths: [
        ...SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`]),
        '*.client_secret',
        '*.clientSecret',
        '*.secret',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.access_token',
        '*.refresh_token',
        '*.id_token',
        '*.accessToken',
        '*.refreshToken',
        '*.code_verifier',
        '*.code',
        '*.id_token_hint',
        '*.login_hint',
        '*.assertion',
        '*.client_assertion',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(request: FastifyRequest) {
        return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
      },
    },
  };
}
