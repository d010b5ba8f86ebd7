/** The signing key ring's rows: private halves stay sealed here, the domain unseals them. */
import type { Db } from './dialect.js';
import type { SigningKeyRow } from './schema.js';

export { listSigningKeys, longestAccessTokenTtl, type SigningKeySummary } from './signingKeyQueries.js';

export interface StoredSigningKey {
  kid: string;
  alg: string;
  state: string;
  createdAt: number;
  retireAt: number | null;
  /** The public JWK as JSON text. */
  publicJwk: string;
  /** The private JWK, sealed with the master key. */
  sealedPrivateJwk: string;
}

function toStoredKey(row: SigningKeyRow): StoredSigningKey {
  return {
    kid: row.kid,
    alg: row.alg,
    state: row.state,
    createdAt: row.created_at,
    retireAt: row.retire_at,
    publicJwk: row.public_jwk,
    sealedPrivateJwk: row.private_jwk_enc,
  };
}

/** Active and retiring keys, newest first (ties by kid, so every node sees the same order). */
export async function publishedSigningKeys(db: Db): Promise<StoredSigningKey[]> {
  const rows = await db
    .selectFrom('signing_keys')
    .selectAll()
    .where('state', 'in', ['active', 'retiring'])
    .orderBy('created_at', 'desc')
    .orderBy('kid', 'desc')
    .execute();
  return rows.map(toStoredKey);
}

/** Every key, oldest first (the CLI's listing). */
export async function allSigningKeys(db: Db): Promise<StoredSigningKey[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').execute();
  return rows.map(toStoredKey);
}

export async function insertSigningKey(
  db: Db,
  key: { kid: string; alg: string; publicJwk: string; sealedPrivateJwk: string; createdAt: number },
): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({
      kid: key.kid,
      alg: key.alg,
      private_jwk_enc: key.sealedPrivateJwk,
      public_jwk: key.publicJwk,
      state: 'active',
      created_at: key.createdAt,
      retire_at: null,
    })
    .execute();
}

/** The active keys of `alg` become retiring until `retireAt`. */
export async function retireActiveKeys(db: Db, alg: string, retireAt: number): Promise<void> {
  await db
    .updateTable('signing_keys')
    .set({ state: 'retiring', retire_at: retireAt })
    .where('alg', '=', alg)
    .where('state', '=', 'active')
    .execute();
}

/** Retiring keys whose retire time has come become retired; returns how many. */
export async function retireExpiredKeys(db: Db, now: number): Promise<number> {
  const result = await db
    .updateTable('signing_keys')
    .set({ state: 'retired' })
    .where('state', '=', 'retiring')
    .where('retire_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
