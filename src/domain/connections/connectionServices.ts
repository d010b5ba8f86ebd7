import type { Kysely } from 'kysely';
import type { SecretBox } from '../../platform/crypto/masterKey.js';
import type { Outbound } from '../../platform/outbound/index.js';
import type { Database } from '../../store/schema.js';
import type { Organizations } from '../organizations/organizations.js';
import { Connections } from './connections.js';
import { ConnectionCredentials } from './credentials.js';
import { Federation } from './federation.js';
import { UpstreamClient } from './upstream.js';

/** The Authress-style connections area: the records, people's upstream credentials, federation login. */
export interface ConnectionServices {
  records: Connections;
  credentials: ConnectionCredentials;
  federation: Federation;
}

export function createConnectionServices(
  db: Kysely<Database>,
  box: SecretBox,
  organizations: Organizations,
  outbound: Outbound,
): ConnectionServices {
  const upstream = new UpstreamClient(outbound);
  const records = new Connections(db, box, organizations, outbound.policy);
  const credentials = new ConnectionCredentials(db, box, organizations, records, upstream);
  return { records, credentials, federation: new Federation(db, box, records, credentials, upstream) };
}
