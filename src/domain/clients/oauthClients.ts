/**
 * OAuth clients as an administrator manages them: create (the secret is shown once), read, list,
 * patch (RFC 6902), delete and rotate the secret. Every write runs in one transaction with its
 * audit event, then tells the client directory, so the token endpoint and the authenticator of
 * every node stop trusting the old state at once (a deleted or disabled client's tokens die).
 */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { hashSecret, newSecret } from '../../platform/crypto/secrets.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { compileSailPointFilter, type SailPointFilter } from '../../platform/filters/sailpoint.js';
import { newClientId } from '../../platform/ids.js';
import { applyJsonPatch, parseJsonPatch, patchedPaths, refuseLongPatch } from '../../platform/jsonPatch.js';
import type { Dialect, Store } from '../../store/db.js';
import type { Database, OAuthClientRow, OAuthClientUpdate } from '../../store/schema.js';
import { assertWithinCeiling } from '../access/ceiling.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';
import type { ClientDirectory } from './clientDirectory.js';
import { CLIENT_FILTER_FIELDS, clientOrder, type ClientSort } from './clientListing.js';
import { toClientRecord } from './clientRecord.js';
import {
  checkSettings,
  PATCH_LIMITS,
  PATCHABLE,
  settingsForCreate,
  type ClientSettings,
} from './clientSettings.js';

export interface OAuthClient extends ClientSettings {
  id: string;
  orgId: string;
  metadata: string | null;
  createdAt: number;
  updatedAt: number;
  /** When the client last obtained a token (coalesced: up to the flush interval behind). */
  lastUsedAt: number | null;
}

export interface ClientListRequest {
  /** Another organization the caller may act in (a partner's customer); default its own. */
  orgId?: string;
  filter?: SailPointFilter;
  sort: readonly ClientSort[];
  offset: number;
  /** Page size; 0 returns no rows (with `count`, only the total). */
  limit: number;
  count: boolean;
}

/** The client plus its secret in clear text: returned by create and rotation only, never stored. */
export interface ClientWithSecret {
  client: OAuthClient;
  /** Null for PUBLIC clients, which have no secret. */
  secret: string | null;
}

const SETTINGS_COLUMNS = {
  name: 'name',
  description: 'description',
  businessName: 'business_name',
  homepageUrl: 'homepage_url',
  accessTokenValiditySeconds: 'access_token_ttl',
  refreshTokenValiditySeconds: 'refresh_token_ttl',
  redirectUris: 'redirect_uris',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  backchannelLogoutUri: 'backchannel_logout_uri',
  backchannelLogoutSessionRequired: 'backchannel_logout_session_required',
  grantTypes: 'grant_types',
  accessType: 'access_type',
  type: 'type',
  internal: 'internal',
  enabled: 'enabled',
  strongAuthSupported: 'strong_auth_supported',
  claimsSupported: 'claims_supported',
  scope: 'scope',
  roles: 'roles',
} as const satisfies Record<keyof ClientSettings, keyof OAuthClientRow>;

export class OAuthClients {
  private readonly db: Kysely<Database>;
  private readonly dialect: Dialect;

  constructor(
    store: Store,
    private readonly organizations: Organizations,
    private readonly directory: ClientDirectory,
  ) {
    this.db = store.db;
    this.dialect = store.dialect;
  }

  async create(
    principal: Principal,
    input: Record<string, unknown>,
    orgId?: string,
  ): Promise<ClientWithSecret> {
    authorize(principal, 'oauthClients.manage');
    const targetOrg = await this.organizations.resolveTarget(principal, orgId);
    const settings = checkSettings(settingsForCreate(input, principal), principal);
    const id = newClientId();
    const secret = settings.type === 'PUBLIC' ? null : newSecret();
    const now = Date.now();
    const row: OAuthClientRow = {
      id,
      org_id: targetOrg,
      secret_hash: secret ? hashSecret(secret) : null,
      ...toColumns(settings),
      metadata: null,
      created_by: actorOf(principal),
      created_at: now,
      updated_at: now,
      last_used_at: null,
    } as OAuthClientRow;
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('oauth_clients').values(row).execute();
      await recordAudit(trx, {
        orgId: targetOrg,
        actor: actorOf(principal),
        action: 'oauth_client.create',
        target: `oauth_client:${id}`,
        detail: { name: settings.name, grantTypes: settings.grantTypes, scope: settings.scope },
      });
    });
    // A negative lookup of this id may be cached (e.g. a token request that raced the create).
    await this.directory.changed(id);
    return { client: toOAuthClient(row), secret };
  }

  async get(principal: Principal, id: string): Promise<OAuthClient> {
    authorize(principal, 'oauthClients.read');
    return toOAuthClient(await this.load(principal, id));
  }

  async list(
    principal: Principal,
    request: ClientListRequest,
  ): Promise<{ items: OAuthClient[]; total?: number }> {
    authorize(principal, 'oauthClients.read');
    const orgId = await this.organizations.resolveTarget(principal, request.orgId);
    const conditions: Expression<SqlBool>[] = [sql<SqlBool>`${sql.ref('oauth_clients.org_id')} = ${orgId}`];
    if (request.filter) conditions.push(compileSailPointFilter(request.filter, CLIENT_FILTER_FIELDS));
    const where = sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
    const order = clientOrder(request.sort, this.dialect === 'postgres');
    const [rows, counted] = await Promise.all([
      request.limit === 0
        ? []
        : this.db
            .selectFrom('oauth_clients')
            .selectAll()
            .where(where)
            .orderBy(order)
            .limit(request.limit)
            .offset(request.offset)
            .execute(),
      request.count
        ? this.db
            .selectFrom('oauth_clients')
            .select((eb) => eb.fn.countAll<number | string>().as('total'))
            .where(where)
            .executeTakeFirstOrThrow()
        : undefined,
    ]);
    return { items: rows.map(toOAuthClient), total: counted ? Number(counted.total) : undefined };
  }

  /**
   * Applies RFC 6902 operations to the client's settings, all or nothing: any failing operation,
   * any path outside the patchable fields, or a result that breaks a rule leaves it unchanged.
   */
  async patch(principal: Principal, id: string, operations: unknown): Promise<OAuthClient> {
    authorize(principal, 'oauthClients.manage');
    refuseLongPatch(operations, PATCH_LIMITS);
    const ops = parseJsonPatch(operations);
    // `test` reads; every other operation may only touch the patchable fields.
    for (const field of patchedPaths(ops.filter((o) => o.op !== 'test'))) {
      if (!PATCHABLE.has(field)) {
        const what = field ? `'${field}'` : 'the whole client';
        throw new Invalid(`/${field}`, `${what} cannot be patched; patchable: ${[...PATCHABLE].join(', ')}`);
      }
    }
    // Patch and validate before the write transaction (no CPU work while holding the writer);
    // the write then checks the row is still the one patched, else patches the new one again.
    for (let attempt = 1; ; attempt++) {
      const row = await this.loadWithinCeiling(principal, id);
      const before = toOAuthClient(row);
      // `id` is there for `test` operations; the root itself is never replaced (refused above).
      const doc = { id: before.id, ...settingsOf(before) };
      const patched = applyJsonPatch<Record<string, unknown>>(doc, ops, PATCH_LIMITS);
      const settings = checkSettings(patched, principal, before);
      if (!settings.enabled && before.enabled) this.refuseSelf(principal, id, 'disable');
      const changes = changedColumns(before, settings);
      if (changes.fields.length === 0) return before;
      const now = Date.now();
      const written = await this.db.transaction().execute(async (trx) => {
        if (!sameRow(await this.lock(trx, id), row)) return false;
        const update: OAuthClientUpdate = { ...changes.columns, updated_at: now };
        await trx.updateTable('oauth_clients').set(update).where('id', '=', id).execute();
        await recordAudit(trx, {
          orgId: row.org_id,
          actor: actorOf(principal),
          action: 'oauth_client.update',
          target: `oauth_client:${id}`,
          detail: { fields: changes.fields },
        });
        return true;
      });
      if (written) {
        await this.directory.changed(id);
        return { ...before, ...settings, updatedAt: now };
      }
      if (attempt === 3)
        throw new Conflict(`OAuth client ${id} is being changed by someone else; try again.`);
    }
  }
  /** Deletes the client and ends every grant it holds; its access tokens are refused at once. */
  async delete(principal: Principal, id: string): Promise<void> {
    authorize(principal, 'oauthClients.manage');
    await this.loadWithinCeiling(principal, id);
    this.refuseSelf(principal, id, 'delete');
    await this.db.transaction().execute(async (trx) => {
      const row = await this.lock(trx, id);
      clientWithinCeiling(principal, row);
      const now = Date.now();
      await trx.deleteFrom('oauth_clients').where('id', '=', id).execute();
      await trx
        .updateTable('token_grants')
        .set({ revoked_at: now })
        .where('client_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      await trx.deleteFrom('consents').where('client_id', '=', id).execute();
      await recordAudit(trx, {
        orgId: row.org_id,
        actor: actorOf(principal),
        action: 'oauth_client.delete',
        target: `oauth_client:${id}`,
        detail: { name: row.name },
      });
    });
    await this.directory.changed(id);
  }

  /**
   * A new secret, returned once; the old one stops working at once. Access tokens already issued
   * stay valid until they expire (disable the client or revoke its tokens to end them).
   */
  async rotateSecret(principal: Principal, id: string): Promise<ClientWithSecret> {
    authorize(principal, 'oauthClients.manage');
    const secret = newSecret();
    await this.loadWithinCeiling(principal, id);
    const client = await this.db.transaction().execute(async (trx) => {
      const row = await this.lock(trx, id);
      clientWithinCeiling(principal, row);
      if (row.type === 'PUBLIC') throw new Invalid('id', 'a PUBLIC client has no secret to rotate');
      const now = Date.now();
      await trx
        .updateTable('oauth_clients')
        .set({ secret_hash: hashSecret(secret), updated_at: now })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, {
        orgId: row.org_id,
        actor: actorOf(principal),
        action: 'oauth_client.rotate_secret',
        target: `oauth_client:${id}`,
      });
      return { ...toOAuthClient(row), updatedAt: now };
    });
    await this.directory.changed(id);
    return { client, secret };
  }

  /**
   * The row if the caller may act in its organization; other tenants' clients are "not found".
   * Runs outside write transactions: the tenancy lookup uses its own connection, and a client
   * never changes organization, so the answer still holds inside the transaction.
   */
  private async load(principal: Principal, id: string): Promise<OAuthClientRow> {
    const row = await this.db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await this.organizations.mayActIn(principal, row.org_id))) {
      throw new NotFound(`OAuth client ${id} was not found.`);
    }
    return row;
  }

  /**
   * The row, if visible (else 404) and within the caller's privilege ceiling (else 403): acting on
   * a more powerful client (patching, deleting, rotating its secret) would let the caller become it.
   * Checked again on the locked row inside the write, in case the client grew in between.
   */
  private async loadWithinCeiling(principal: Principal, id: string): Promise<OAuthClientRow> {
    const row = await this.load(principal, id);
    clientWithinCeiling(principal, row);
    return row;
  }

  /** Re-reads a visible row inside a write transaction, locked on PostgreSQL (SQLite has one writer). */
  private async lock(trx: Transaction<Database>, id: string): Promise<OAuthClientRow> {
    let query = trx.selectFrom('oauth_clients').selectAll().where('id', '=', id);
    if (this.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw new NotFound(`OAuth client ${id} was not found.`);
    return row;
  }

  /** Deleting or disabling the client one is calling with would lock the caller out mid-request. */
  private refuseSelf(principal: Principal, id: string, what: string): void {
    if (principal.clientId === id) {
      throw new Invalid('id', `a client cannot ${what} itself; use another management client`);
    }
  }
}

function clientWithinCeiling(principal: Principal, row: OAuthClientRow): void {
  const record = toClientRecord(row);
  assertWithinCeiling(
    principal,
    { orgId: row.org_id, scopes: record.scopes, roles: record.roles },
    `OAuth client ${row.id}`,
  );
}

export function toOAuthClient(row: OAuthClientRow): OAuthClient {
  const record = toClientRecord(row);
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    businessName: row.business_name,
    homepageUrl: row.homepage_url,
    accessTokenValiditySeconds: row.access_token_ttl,
    refreshTokenValiditySeconds: row.refresh_token_ttl,
    redirectUris: [...record.redirectUris],
    postLogoutRedirectUris: [...record.postLogoutRedirectUris],
    backchannelLogoutUri: record.backchannelLogoutUri,
    backchannelLogoutSessionRequired: record.backchannelLogoutSessionRequired,
    grantTypes: [...record.grantTypes],
    accessType: record.accessType,
    type: record.type,
    internal: row.internal === 1,
    enabled: row.enabled === 1,
    strongAuthSupported: row.strong_auth_supported === 1,
    claimsSupported: row.claims_supported === 1,
    scope: [...record.scopes],
    roles: [...record.roles],
    metadata: row.metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
  };
}

function settingsOf(client: OAuthClient): ClientSettings {
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(SETTINGS_COLUMNS)) out[key] = client[key as keyof ClientSettings];
  return out as unknown as ClientSettings;
}

function toColumns(settings: Partial<ClientSettings>): OAuthClientUpdate {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    const column = SETTINGS_COLUMNS[key as keyof ClientSettings];
    if (!column) continue;
    out[column] = Array.isArray(value)
      ? JSON.stringify(value)
      : typeof value === 'boolean'
        ? value
          ? 1
          : 0
        : value;
  }
  return out as OAuthClientUpdate;
}

function changedColumns(
  before: ClientSettings,
  after: ClientSettings,
): { fields: string[]; columns: OAuthClientUpdate } {
  const changed: Partial<ClientSettings> = {};
  for (const key of Object.keys(SETTINGS_COLUMNS) as (keyof ClientSettings)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      (changed as Record<string, unknown>)[key] = after[key];
  }
  return { fields: Object.keys(changed), columns: toColumns(changed) };
}

/** The row a patch was computed from is still the stored one (columns compared by value). */
function sameRow(a: OAuthClientRow, b: OAuthClientRow): boolean {
  const keys = Object.keys(a) as (keyof OAuthClientRow)[];
  return (
    keys.length === Object.keys(b).length && keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]))
  );
}
