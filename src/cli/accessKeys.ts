import { AccessKeys } from '../domain/clients/accessKeys.js';
import { ClientDirectory } from '../domain/clients/clientDirectory.js';
import { Organizations } from '../domain/organizations/organizations.js';
import type { KeywardConfig } from '../platform/config.js';
import { createChangeFeed } from '../store/changeFeed.js';
import { migrateToLatest, openStore } from '../store/db.js';
import type { CliCommand } from './command.js';

/** The access-key service against the configured database; revocations notify running nodes (PostgreSQL). */
async function withAccessKeys<T>(cfg: KeywardConfig, run: (keys: AccessKeys) => Promise<T>): Promise<T> {
  const store = openStore(cfg.database);
  try {
    await migrateToLatest(store);
    const pg = cfg.database.kind === 'postgres' ? cfg.database : undefined;
    const feed = await createChangeFeed(store, pg?.url, pg?.schema);
    const clients = new ClientDirectory(store.db, feed, 3_600_000);
    try {
      return await run(new AccessKeys(store.db, feed, clients, new Organizations(store.db)));
    } finally {
      await clients.close();
      await feed.close();
    }
  } finally {
    await store.close();
  }
}

function clientIdOf(values: Record<string, string | boolean | undefined>): string {
  const id = values['client-id'];
  if (typeof id !== 'string' || id === '') throw new Error('--client-id is required');
  return id;
}

const clientOption = { 'client-id': { type: 'string', help: 'the OAuth (service) client' } } as const;

export const accessKeysCreate: CliCommand = {
  summary: 'create an Authress-style access key for a service client (printed once)',
  options: clientOption,
  async run({ config, values, out }) {
    const issued = await withAccessKeys(config(), (keys) => keys.createAsOperator(clientIdOf(values)));
    out(
      `access key ${issued.keyId} for client ${issued.clientId} (shown ONCE; Keyward keeps only the public key):\n${issued.accessKey}\n`,
    );
  },
};

export const accessKeysList: CliCommand = {
  summary: "list a service client's access keys",
  options: clientOption,
  async run({ config, values, out }) {
    const list = await withAccessKeys(config(), (keys) => keys.listOf(clientIdOf(values)));
    for (const k of list) {
      out(
        `${k.keyId}  created ${new Date(k.createdAt).toISOString()}${k.revokedAt ? `  revoked ${new Date(k.revokedAt).toISOString()}` : '  active'}\n`,
      );
    }
  },
};

export const accessKeysRevoke: CliCommand = {
  summary: 'revoke an access key of a service client',
  options: { ...clientOption, 'key-id': { type: 'string', help: 'the keyId to revoke' } },
  async run({ config, values, out }) {
    const keyId = values['key-id'];
    if (typeof keyId !== 'string' || keyId === '') throw new Error('--key-id is required');
    await withAccessKeys(config(), (keys) => keys.revokeKey(clientIdOf(values), keyId, 'system:cli'));
    out(`revoked access key ${keyId}\n`);
  },
};
