import type { FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type LoggerOptions } from 'pino';
import { ConfigError, type LogLevel } from '../platform/config.js';

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

/** `capture` (tests) receives the JSON lines; otherwise pretty on a TTY or with KEYWARD_LOG_FORMAT=pretty. */
export function loggerOptions(
  level: LogLevel,
  capture?: DestinationStream,
): LoggerOptions & { stream?: { write(line: string): void } } {
  const stream = capture ?? logStream();
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

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** One pino JSON line as a human-readable line: `12:00:01.234 INFO  message key=value`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json);
  } catch {
    return json;
  }
  const { level, time, msg, pid, hostname, req, res, reqId, responseTime, err, ...rest } = entry;
  void pid;
  void hostname;
  const at = typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '';
  const parts = [at, (LEVEL_NAMES[level as number] ?? String(level)).padEnd(5), String(msg ?? '')];
  const r = req as { method?: string; url?: string } | undefined;
  if (r?.method) parts.push(`${r.method} ${r.url}`);
  const s = res as { statusCode?: number } | undefined;
  if (s?.statusCode)
    parts.push(
      `→ ${s.statusCode}${typeof responseTime === 'number' ? ` ${responseTime.toFixed(1)} ms` : ''}`,
    );
  if (reqId) parts.push(`[${reqId}]`);
  for (const [key, value] of Object.entries(rest))
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const e = err as { stack?: string; message?: string } | undefined;
  return `${parts.join(' ')}${e ? `\n${e.stack ?? e.message}` : ''}\n`;
}

/**
 * KEYWARD_LOG_FORMAT=pretty|json; unset: pretty on a terminal, JSON otherwise (log collectors).
 * pino-pretty is not a dependency: this small formatter is enough for a person watching a terminal.
 */
export function logStream(
  format = process.env.KEYWARD_LOG_FORMAT,
  isTTY = !!process.stdout.isTTY,
): { write(line: string): void } | undefined {
  const value = format?.trim().toLowerCase();
  if (value && value !== 'pretty' && value !== 'json') {
    throw new ConfigError(`KEYWARD_LOG_FORMAT=${JSON.stringify(format)} is invalid: expected pretty or json`);
  }
  if (value === 'json' || (!value && !isTTY)) return undefined;
  return { write: (line: string) => void process.stdout.write(prettyLine(line)) };
}

/**
 * A `(level, message)` log in the server's format for a component below the edge (the Redis rate
 * limiter): platform code takes the function and imports nothing above it.
 */
export function componentLog(
  level: LogLevel,
  component: string,
): (at: 'warn' | 'info', message: string) => void {
  const logger = pino(loggerOptions(level));
  return (at, message) => logger[at]({ component }, message);
}
