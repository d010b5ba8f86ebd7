import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Conflict, Invalid, NotFound, Unauthenticated } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { ChangeFeed } from '../../store/changeFeed.js';
import type { Database } from '../../store/schema.js';
import { assertWithinCeiling } from '../access/ceiling.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';
import { decodeJwt, verifyJwtSignature } from '../tokens/jwt.js';
import type { ClientDirectory } from './clientDirectory.js';
import type { ClientRecord } from './clientRecord.js';

export const CLIENT_KEY_CHANGED = 'client_key';
/** Access-key ids carry this prefix, so the authenticator tells their JWTs from Keyward's own. */
export const ACCESS_KEY_PREFIX = 'kwk_';
/** The SDK signs tokens that live 24 h; allow this much clock skew on top. */
const MAX_LIFETIME_S = 24 * 3600;
const SKEW_S = 60;
const CACHE_TTL_MS = 30_000;
const MAX_CACHED = 10_000;
const MAX_VERIFIED = 50_000;

/**
 * The audience the SDK puts in its self-signed JWTs is `<accountId>.accounts.authress.io`, and
 * Keyward's accountId is the organization's CODE (`root` for the bootstrap organization).
 */
export function accessKeyAudience(orgCode: string): string {
  return `${orgCode}.accounts.authress.io`;
}

export interface AccessKeyInfo {
  keyId: string;
  clientId: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface IssuedAccessKey extends AccessKeyInfo {
  /** `clientId.keyId.accountId.<base64 PKCS#8 DER Ed25519 private key>`: shown once, never stored. */
  accessKey: string;
}

interface LoadedKey {
  clientId: string;
  orgId: string;
  audience: string;
  publicKey: KeyObject;
  revoked: boolean;
}

export interface VerifiedAccessKey {
  client: ClientRecord;
  keyId: string;
  exp: number;
}

/**
 * Authress-style access keys of service clients: an Ed25519 key pair whose private half goes to
 * the caller once (in Authress's access key format) and whose public half is kept under its keyId
 * to verify the JWTs the SDK signs with it. Revocation takes effect at once on this node and, via
 * the change feed, on the others (the cache TTL bounds staleness if a notification is lost).
 */
export class AccessKeys {
  private keys = new Map<string, { key: LoadedKey | null; at: number }>();
  private verified = new Map<string, { keyId: string; clientId: string; exp: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly feed: ChangeFeed,
    private readonly clients: ClientDirectory,
    private readonly organizations: Organizations,
  ) {
    feed.subscribe((topic, key) => {
      if (topic === CLIENT_KEY_CHANGED) this.keys.delete(key);
      else if (topic === '*') this.keys.clear();
    });
  }

  /** True when a bearer token is an access-key JWT (its kid is one of ours): cheap, header only. */
  recognises(token: string): boolean {
    if (this.verified.has(token)) return true;
    const dot = token.indexOf('.');
    if (dot <= 0 || dot > 1000) return false;
    try {
      const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
      return typeof header?.kid === 'string' && header.kid.startsWith(ACCESS_KEY_PREFIX);
    } catch {
      return false;
    }
  }

  private async client(principal: Principal, clientId: string): Promise<ClientRecord> {
    const client = await this.clients.find(clientId);
    if (!client || !(await this.organizations.mayActIn(principal, client.orgId)))
      throw new NotFound(`Client ${clientId} was not found.`);
    return client;
  }

  /** A key is the client's full power: minting or revoking one needs the client within the caller's ceiling. */
  private async withinCeiling(principal: Principal, clientId: string): Promise<ClientRecord> {
    const client = await this.client(principal, clientId);
    assertWithinCeiling(principal, client, `client ${client.id}`);
    return client;
  }

  async create(principal: Principal, clientId: string): Promise<IssuedAccessKey> {
    authorize(principal, 'accessKeys.write');
    return this.issue(await this.withinCeiling(principal, clientId), actorOf(principal));
  }

  /** The CLI's path (an operator on the server): no principal. */
  async createAsOperator(clientId: string): Promise<IssuedAccessKey> {
    const client = await this.clients.find(clientId);
    if (!client) throw new NotFound(`Client ${clientId} was not found.`);
    return this.issue(client, 'system:cli');
  }

  private async issue(client: ClientRecord, actor: string): Promise<IssuedAccessKey> {
    if (client.type !== 'CONFIDENTIAL')
      throw new Invalid('clientId', 'access keys are for confidential (service) clients');
    const org = await this.organizations.find(client.orgId);
    if (!org) throw new NotFound(`Client ${client.id} was not found.`);
    if (org.code.includes('.') || client.id.includes('.')) {
      throw new Conflict(
        'The client id or the organization code contains ".", which the access key format cannot carry.',
      );
    }
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const keyId = `${ACCESS_KEY_PREFIX}${newId()}`;
    const now = Date.now();
    // The answer is complete before the key is stored (see the end of this method).
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const issued: IssuedAccessKey = {
      keyId,
      clientId: client.id,
      createdAt: now,
      revokedAt: null,
      accessKey: `${client.id}.${keyId}.${org.code}.${der}`,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('client_keys')
        .values({
          kid: keyId,
          client_id: client.id,
          org_id: client.orgId,
          public_jwk: JSON.stringify(publicKey.export({ format: 'jwk' })),
          created_by: actor,
          created_at: now,
          revoked_at: null,
        })
        .execute();
      await recordAudit(trx, {
        orgId: client.orgId,
        actor,
        action: 'client.access_key.create',
        target: `client:${client.id}`,
        detail: { keyId },
      });
    });
    // Nothing after the commit may fail: the SDK retries this POST on any 5xx and would mint a second
    // key. The notification only evicts negative cache entries elsewhere (bounded by the cache TTL).
    await this.feed.publish(CLIENT_KEY_CHANGED, keyId).catch(() => {});
    return issued;
  }

  async list(principal: Principal, clientId: string): Promise<AccessKeyInfo[]> {
    authorize(principal, 'accessKeys.read');
    const client = await this.client(principal, clientId);
    return this.listOf(client.id);
  }

  async listOf(clientId: string): Promise<AccessKeyInfo[]> {
    const rows = await this.db
      .selectFrom('client_keys')
      .select(['kid', 'client_id', 'created_at', 'revoked_at'])
      .where('client_id', '=', clientId)
      .orderBy('created_at')
      .orderBy('kid')
      .limit(1000)
      .execute();
    return rows.map((r) => ({
      keyId: r.kid,
      clientId: r.client_id,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }));
  }

  async revoke(principal: Principal, clientId: string, keyId: string): Promise<void> {
    authorize(principal, 'accessKeys.write');
    const client = await this.withinCeiling(principal, clientId);
    await this.revokeKey(client.id, keyId, actorOf(principal));
  }

  /** Revoking twice is fine (DELETE is idempotent in effect); an unknown key is a 404. */
  async revokeKey(clientId: string, keyId: string, actor: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('client_keys')
        .select(['org_id', 'revoked_at'])
        .where('kid', '=', keyId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      if (!row) throw new NotFound(`Access key ${keyId} of client ${clientId} was not found.`);
      if (row.revoked_at !== null) return;
      await trx.updateTable('client_keys').set({ revoked_at: Date.now() }).where('kid', '=', keyId).execute();
      await recordAudit(trx, {
        orgId: row.org_id,
        actor,
        action: 'client.access_key.revoke',
        target: `client:${clientId}`,
        detail: { keyId },
      });
    });
    this.keys.delete(keyId);
    await this.feed.publish(CLIENT_KEY_CHANGED, keyId);
  }

  private async load(keyId: string): Promise<LoadedKey | null> {
    const hit = this.keys.get(keyId);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.key;
    const row = await this.db
      .selectFrom('client_keys')
      .innerJoin('organizations', 'organizations.id', 'client_keys.org_id')
      .select([
        'client_keys.client_id',
        'client_keys.org_id',
        'client_keys.public_jwk',
        'client_keys.revoked_at',
        'organizations.code',
      ])
      .where('client_keys.kid', '=', keyId)
      .executeTakeFirst();
    const key = row
      ? {
          clientId: row.client_id,
          orgId: row.org_id,
          audience: accessKeyAudience(row.code),
          publicKey: createPublicKey({ key: JSON.parse(row.public_jwk), format: 'jwk' }),
          revoked: row.revoked_at !== null,
        }
      : null;
    if (this.keys.size >= MAX_CACHED) this.keys.clear();
    this.keys.set(keyId, { key, at: Date.now() });
    return key;
  }

  /**
   * Verifies an SDK-signed JWT: header alg EdDSA and a kid of a live key; the signature with that
   * key's public half; sub = the key's client; iss = `<any origin>/v1/clients/<sub>` (the SDK builds
   * it from ITS base URL); aud = `<org code>.accounts.authress.io`; exp not passed and at most 24 h
   * (+60 s) after iat and from now. Throws Unauthenticated.
   */
  async verify(token: string): Promise<VerifiedAccessKey> {
    const now = Math.floor(Date.now() / 1000);
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp + SKEW_S <= now) {
        this.verified.delete(token);
        throw new Unauthenticated('The access-key token has expired.');
      }
      return {
        client: await this.usable(cached.keyId, cached.clientId),
        keyId: cached.keyId,
        exp: cached.exp,
      };
    }
    const decoded = decodeJwt(token);
    if (!decoded) throw new Unauthenticated('The access-key token is malformed.');
    const { header, payload } = decoded;
    if (header.alg !== 'EdDSA')
      throw new Unauthenticated(
        `The access-key token's algorithm ${JSON.stringify(header.alg)} is not accepted (EdDSA only).`,
      );
    const keyId = header.kid!;
    const key = await this.load(keyId);
    if (!key || key.revoked) throw new Unauthenticated('The access key is unknown or revoked.');
    if (!verifyJwtSignature(decoded, 'EdDSA', key.publicKey))
      throw new Unauthenticated('The access-key token signature is invalid.');
    const { sub, iss, aud, exp, iat } = payload as Record<string, unknown>;
    if (sub !== key.clientId)
      throw new Unauthenticated("The access-key token's sub is not the key's client.");
    if (
      typeof iss !== 'string' ||
      !/^https?:\/\/[^/]+(\/.*)?$/.test(iss) ||
      !iss.endsWith(`/v1/clients/${encodeURIComponent(sub)}`)
    ) {
      throw new Unauthenticated("The access-key token's iss must be <base URL>/v1/clients/<clientId>.");
    }
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(key.audience))
      throw new Unauthenticated(`The access-key token's aud must be ${key.audience}.`);
    if (typeof exp !== 'number' || typeof iat !== 'number')
      throw new Unauthenticated('The access-key token needs exp and iat.');
    if (exp + SKEW_S <= now) throw new Unauthenticated('The access-key token has expired.');
    if (iat - SKEW_S > now) throw new Unauthenticated('The access-key token was issued in the future.');
    if (exp - iat > MAX_LIFETIME_S + SKEW_S || exp - now > MAX_LIFETIME_S + SKEW_S) {
      throw new Unauthenticated('The access-key token lives longer than 24 hours.');
    }
    const client = await this.usable(keyId, key.clientId);
    if (client.orgId !== key.orgId) throw new Unauthenticated('The access key is unknown or revoked.');
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(token, { keyId, clientId: key.clientId, exp });
    return { client, keyId, exp };
  }

  /** Every request, cached token or not: the key is still live and its client enabled. */
  private async usable(keyId: string, clientId: string): Promise<ClientRecord> {
    const key = await this.load(keyId);
    if (!key || key.revoked) throw new Unauthenticated('The access key is unknown or revoked.');
    const client = await this.clients.find(clientId);
    if (!client || !client.enabled) throw new Unauthenticated("The access key's client is disabled or gone.");
    return client;
  }
}
