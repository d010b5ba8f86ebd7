import type { FetchImplementation } from 'jose';
import type { Outbound } from './client.js';

/**
 * A fetch for jose's createRemoteJWKSet (`[customFetch]`), so JWKS downloads follow the outbound
 * policy too: `createRemoteJWKSet(url, { [customFetch]: jwksFetch(outbound) })`.
 */
export function jwksFetch(outbound: Outbound): FetchImplementation {
  return async (url, options) => {
    const res = await outbound.request(url, { headers: Object.fromEntries(options.headers) });
    return new Response(res.status === 200 ? new Uint8Array(res.body) : null, { status: res.status });
  };
}
