import type { FastifyRequest } from 'fastify';
import { basicSecretMatches } from '../domain/access/authenticator.js';
import type { ClientDirectory } from '../domain/clients/clientDirectory.js';
import type { ClientRecord } from '../domain/clients/clientRecord.js';
import { parseBasic } from '../http/credentials.js';
import { secretMatches } from '../platform/crypto/secrets.js';
import { invalidClient, invalidRequest } from './errors.js';

export type TokenRequestBody = Record<string, string | undefined>;

/**
 * Client authentication at the token endpoint: client_secret_basic or client_secret_post (one
 * method only, RFC 6749 §2.3). Public clients identify themselves with client_id alone.
 */
export async function authenticateClient(
  request: FastifyRequest,
  body: TokenRequestBody,
  clients: ClientDirectory,
): Promise<{ client: ClientRecord; method: 'basic' | 'post' | 'none' }> {
  const header = request.headers.authorization;
  const basic = header?.slice(0, 6).toLowerCase() === 'basic ';
  if (header && !basic)
    throw invalidRequest('Only HTTP Basic client authentication is accepted in the Authorization header.');
  if (basic && body.client_secret !== undefined) {
    throw invalidRequest('The client authenticated with more than one method (Basic and client_secret).');
  }
  if (basic) {
    const credentials = parseBasic(header!.slice(6).trim());
    if (!credentials) throw invalidClient('The Basic credentials are malformed.', true);
    const id = credentials.decodedId;
    if (body.client_id !== undefined && body.client_id !== id) {
      throw invalidRequest('client_id in the body does not match the authenticated client.');
    }
    const client = await clients.find(id);
    if (!client || !basicSecretMatches(credentials, client.secretHash)) {
      throw invalidClient('Client authentication failed.', true);
    }
    return { client: usable(client, true), method: 'basic' };
  }
  if (!body.client_id)
    throw invalidClient('Client authentication is required (Basic or client_id/client_secret).', false);
  const client = await clients.find(body.client_id);
  if (!client) throw invalidClient('Client authentication failed.', false);
  if (client.type === 'PUBLIC') {
    if (body.client_secret !== undefined) throw invalidClient('Public clients have no secret.', false);
    return { client: usable(client, false), method: 'none' };
  }
  if (body.client_secret === undefined || !secretMatches(body.client_secret, client.secretHash)) {
    throw invalidClient('Client authentication failed.', false);
  }
  return { client: usable(client, false), method: 'post' };
}

function usable(client: ClientRecord, basic: boolean): ClientRecord {
  if (!client.enabled) throw invalidClient('The client is disabled.', basic);
  return client;
}
