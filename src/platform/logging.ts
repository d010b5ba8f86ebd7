import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { LogLevel } from './config.js';

/** Query parameters whose values never reach a log line. */
const SECRET_PARAMS =
  /^(client_secret|code|code_verifier|token|refresh_token|access_token|id_token|password|assertion|client_assertion|state|nonce)$/i;

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SECRET_PARAMS.test(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    // Defence in depth: nothing logs headers or bodies today, but if someone does, secrets stay out.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
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
