import { SigningKeys, KEY_RELOAD_MS } from '../domain/keys/signingKeys.js';
import { loadMasterKey, secretBox } from '../platform/crypto/masterKey.js';
import { migrateToLatest, openStore } from '../store/db.js';
import { allSigningKeys, longestAccessTokenTtl } from '../store/keys.js';
import type { CliCommand } from './command.js';

const SKEW_MS = 60_000;

export const keysRotate: CliCommand = {
  summary: 'create a new signing key; the old one stays in JWKS until every token it signed has expired',
  options: { alg: { type: 'string', help: 'EdDSA (access tokens, default) or RS256 (ID tokens)' } },
  async run({ config, values, out }) {
    const alg = (values.alg as string | undefined) ?? 'EdDSA';
    if (alg !== 'EdDSA' && alg !== 'RS256')
      throw new Error(`--alg must be EdDSA or RS256, not ${JSON.stringify(alg)}`);
    const cfg = config();
    const store = openStore(cfg.database);
    try {
      await migrateToLatest(store);
      const keys = new SigningKeys(store.db, secretBox(loadMasterKey(cfg.masterKey, cfg.dataDir)));
      // Retire after the longest token lifetime any client has, plus the time running nodes
      // take to pick up the new key, plus clock skew.
      const longest = await longestAccessTokenTtl(store.db);
      const retireAfterMs = Math.max(longest, cfg.defaultAccessTokenTtl) * 1000 + KEY_RELOAD_MS + SKEW_MS;
      const kid = await keys.rotate(alg, retireAfterMs);
      out(
        `new ${alg} signing key ${kid}; the previous one retires at ${new Date(Date.now() + retireAfterMs).toISOString()}\n`,
      );
    } finally {
      await store.close();
    }
  },
};

export const keysList: CliCommand = {
  summary: 'list signing keys and their state',
  async run({ config, out }) {
    const store = openStore(config().database);
    try {
      for (const r of await allSigningKeys(store.db)) {
        out(
          `${r.kid}  ${r.alg.padEnd(5)}  ${r.state.padEnd(8)}  created ${new Date(r.createdAt).toISOString()}${r.retireAt ? `  retires ${new Date(r.retireAt).toISOString()}` : ''}\n`,
        );
      }
    } finally {
      await store.close();
    }
  },
};
