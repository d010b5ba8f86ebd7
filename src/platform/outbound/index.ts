/** The one way Keyward talks HTTP to upstreams: see client.ts (request) and policy.ts (where to). */
export {
  Outbound,
  OutboundFailed,
  OutboundRefused,
  OUTBOUND_DEFAULTS,
  type OutboundOptions,
  type OutboundResponse,
  type RequestOptions,
  type Resolver,
} from './client.js';
export { parseAllowList, UpstreamPolicy, type AllowList } from './policy.js';
export { jwksFetch } from './jwks.js';
