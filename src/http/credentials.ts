/**
 * The Authorization header, parsed once for every API: Bearer (a Keyward JWT or an access key) or
 * Basic (client id and secret). Management APIs and OAuth client authentication share the Basic
 * decoder, so both accept the same spellings.
 */
import type { BasicCredentials, Credentials } from '../domain/access/credentials.js';
import { Unauthenticated } from '../platform/errors.js';

export function parseCredentials(authorization: string | undefined): Credentials {
  if (!authorization) throw new Unauthenticated('The request has no Authorization header.');
  const space = authorization.indexOf(' ');
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (space < 0 || !value) throw new Unauthenticated('The Authorization header is malformed.');
  if (scheme === 'bearer') return { kind: 'bearer', token: value };
  if (scheme === 'basic') {
    const basic = parseBasic(value);
    if (!basic) throw new Unauthenticated('The Basic credentials are malformed.');
    return basic;
  }
  throw new Unauthenticated(`The Authorization scheme ${JSON.stringify(scheme)} is not supported.`);
}

/** base64(id:secret) → the credentials, or undefined when there is no id before a colon. */
export function parseBasic(encoded: string): BasicCredentials | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const id = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  return { kind: 'basic', id, secret, decodedId: formDecode(id), decodedSecret: formDecode(secret) };
}

/**
 * RFC 6749 §2.3.1 form-encodes id and secret inside Basic, but most clients send them raw:
 * callers accept either spelling.
 */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}
