import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { SecretBox } from '../../platform/crypto/masterKey.js';
import { newId } from '../../platform/ids.js';
import type { Db } from '../../store/dialect.js';
import {
  insertSigningKey,
  publishedSigningKeys,
  retireActiveKeys,
  retireExpiredKeys,
  type StoredSigningKey,
} from '../../store/keys.js';
import type { JwtAlg } from '../tokens/jwt.js';

/** How often a running node re-reads the key ring (a key rotated elsewhere is picked up by then). */
export const KEY_RELOAD_MS = 60_000;

interface LoadedKey {
  kid: string;
  alg: JwtAlg;
  state: string;
  createdAt: number;
  publicKey: KeyObject;
  publicJwk: JsonWebKey;
  privateKey?: KeyObject;
}

/**
 * The signing key ring, kept in the database (private halves sealed with the master key) so every
 * node signs with the same key and every node can verify what another signed. JWKS serves active
 * and retiring keys; a retiring key stays published until every token it signed has expired.
 */
export class SigningKeys {
  private keys = new Map<string, LoadedKey>();
  private lastReload = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  /** Loads the ring, creating the first key of each algorithm when there is none. */
  async init(): Promise<void> {
    await this.retireExpired();
    await this.reload();
    for (const alg of ['EdDSA', 'RS256'] as const) {
      if (!this.findActive(alg)) {
        await this.insertKey(alg);
        await this.reload();
      }
    }
  }

  /** Re-reads the ring every KEY_RELOAD_MS (rotation by the CLI or another node; retirement). */
  startReloading(): void {
    this.timer = setInterval(() => {
      void this.retireExpired()
        .then(() => this.reload())
        .catch(() => {});
    }, KEY_RELOAD_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async reload(): Promise<void> {
    const rows = await publishedSigningKeys(this.db);
    const next = new Map<string, LoadedKey>();
    for (const row of rows) next.set(row.kid, this.toLoaded(row));
    this.keys = next;
    this.lastReload = Date.now();
  }

  /** The key new tokens are signed with: the newest active key of that algorithm. */
  current(alg: JwtAlg = 'EdDSA'): { kid: string; privateKey: KeyObject } {
    const key = this.findActive(alg);
    if (!key?.privateKey) throw new Error(`no active ${alg} signing key (run keyward migrate / restart)`);
    return { kid: key.kid, privateKey: key.privateKey };
  }

  /**
   * A verification key by kid. An unknown kid may have been created by another node since the
   * last load, so reload once (at most every 5 s, which bounds the cost of forged kids).
   */
  async verificationKey(kid: string): Promise<{ alg: JwtAlg; key: KeyObject } | undefined> {
    let key = this.keys.get(kid);
    if (!key && Date.now() - this.lastReload > 5000) {
      await this.reload();
      key = this.keys.get(kid);
    }
    return key ? { alg: key.alg, key: key.publicKey } : undefined;
  }

  /** Synchronous lookup for the hot path (no reload). */
  knownKey(kid: string): { alg: JwtAlg; key: KeyObject } | undefined {
    const key = this.keys.get(kid);
    return key ? { alg: key.alg, key: key.publicKey } : undefined;
  }

  jwks(): { keys: JsonWebKey[] } {
    return {
      keys: [...this.keys.values()].map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })),
    };
  }

  /**
   * Creates a new active key for `alg`; the previous ones become retiring until `retireAfterMs`
   * from now (the longest lifetime of a token they may have signed).
   */
  async rotate(alg: JwtAlg, retireAfterMs: number): Promise<string> {
    const now = Date.now();
    const kid = await this.db.transaction().execute(async (trx) => {
      await retireActiveKeys(trx, alg, now + retireAfterMs);
      return this.insertKey(alg, trx);
    });
    await this.reload();
    return kid;
  }

  /** Marks retiring keys whose tokens have all expired as retired (no longer published). */
  async retireExpired(now = Date.now()): Promise<number> {
    return retireExpiredKeys(this.db, now);
  }

  private findActive(alg: JwtAlg): LoadedKey | undefined {
    // Map keeps the newest-first order of reload(); with two nodes racing at first start, both
    // pick the same newest key.
    for (const key of this.keys.values()) if (key.alg === alg && key.state === 'active') return key;
    return undefined;
  }

  private async insertKey(alg: JwtAlg, db: Db = this.db): Promise<string> {
    const pair =
      alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = newId();
    await insertSigningKey(db, {
      kid,
      alg,
      sealedPrivateJwk: this.box.encrypt(JSON.stringify(pair.privateKey.export({ format: 'jwk' }))),
      publicJwk: JSON.stringify(pair.publicKey.export({ format: 'jwk' })),
      createdAt: Date.now(),
    });
    return kid;
  }

  private toLoaded(row: StoredSigningKey): LoadedKey {
    const publicJwk = JSON.parse(row.publicJwk) as JsonWebKey;
    return {
      kid: row.kid,
      alg: row.alg as JwtAlg,
      state: row.state,
      createdAt: row.createdAt,
      publicJwk,
      publicKey: createPublicKey({ key: publicJwk, format: 'jwk' }),
      privateKey:
        row.state === 'active'
          ? createPrivateKey({ key: JSON.parse(this.box.decrypt(row.sealedPrivateJwk)), format: 'jwk' })
          : undefined,
    };
  }
}
