import { sql, type Kysely, type Transaction } from 'kysely';
import type { SecretBox } from '../../platform/crypto/masterKey.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { UpstreamPolicy } from '../../platform/outbound/index.js';
import { isUniqueViolation } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { assertWithinCeiling, connectionPower } from '../access/ceiling.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Organizations } from '../organizations/organizations.js';
import {
  searchText,
  toConnection,
  validateConnection,
  validateConnectionId,
  type Connection,
  type ConnectionInput,
  type ConnectionRow,
  type ValidConnection,
} from './connectionModel.js';

/**
 * Called inside the write transaction, before COMMIT, to build (and serialise) the response. The
 * Authress SDK retries POST and PUT on any 5xx, so nothing that can fail may run after a commit:
 * once this returns, the only steps left are COMMIT and sending bytes already made.
 */
export type Respond<T> = (connection: Connection) => T;

export interface ConnectionPage {
  orgId: string;
  connections: Connection[];
  /** The key to continue after, when there are more rows. */
  nextAfter?: string;
}

/** A connection with its client secret unsealed, for the federation flow only. */
export interface UpstreamConnection extends Connection {
  clientSecret: string | null;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Authress-style SSO connections: CRUD and listing, scoped to the caller's organization. */
export class Connections {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly organizations: Organizations,
    /** Connection URLs naming an address Keyward would refuse to call are refused at the door. */
    private readonly policy: UpstreamPolicy,
  ) {}

  private row(db: Kysely<Database> | Transaction<Database>, orgId: string, id: string) {
    return db
      .selectFrom('connections')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  private async visible(
    principal: Principal,
    connectionId: string,
    orgId: string | undefined,
  ): Promise<{ orgId: string; row: ConnectionRow }> {
    const target = await this.organizations.resolveTarget(principal, orgId);
    const row = await this.row(this.db, target, connectionId);
    if (!row) throw new NotFound(`Connection ${connectionId} was not found.`);
    return { orgId: target, row };
  }

  private columns(valid: ValidConnection, id: string) {
    return {
      type: valid.type,
      authentication_url: valid.authenticationUrl,
      token_url: valid.tokenUrl,
      issuer_url: valid.issuerUrl,
      provider_certificate: valid.providerCertificate,
      client_id: valid.clientId,
      data: JSON.stringify(valid.data),
      default_scope: valid.scope,
      search_text: searchText(id, valid),
    };
  }

  async create<T>(
    principal: Principal,
    input: ConnectionInput,
    orgId: string | undefined,
    respond: Respond<T>,
  ): Promise<T> {
    authorize(principal, 'connections.write');
    const target = await this.organizations.resolveTarget(principal, orgId);
    // A connection signs in anyone of its org: only a caller with that power may shape it.
    assertWithinCeiling(principal, connectionPower(target), `the connections of organization ${target}`);
    const valid = validateConnection(input, this.policy);
    const id =
      input.connectionId === undefined || input.connectionId === null
        ? `con_${newId()}`
        : validateConnectionId(input.connectionId);
    const now = Date.now();
    try {
      return await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('connections')
          .values({
            org_id: target,
            id,
            ...this.columns(valid, id),
            client_secret_enc: valid.clientSecret ? this.box.encrypt(valid.clientSecret) : null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await recordAudit(trx, {
          orgId: target,
          actor: actorOf(principal),
          action: 'connection.create',
          target: `connection:${id}`,
          detail: { type: valid.type },
        });
        const created = (await this.row(trx, target, id))!;
        // Response built and serialised here, inside the transaction: see Respond.
        return respond(toConnection(created));
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new Conflict(`A connection with connectionId ${id} already exists.`);
      throw error;
    }
  }

  async get(principal: Principal, connectionId: string, orgId?: string): Promise<Connection> {
    authorize(principal, 'connections.read');
    return toConnection((await this.visible(principal, connectionId, orgId)).row);
  }

  /** PUT: replaces every field; an absent clientSecret keeps the stored one (it is never read back). */
  async replace<T>(
    principal: Principal,
    connectionId: string,
    input: ConnectionInput,
    orgId: string | undefined,
    respond: Respond<T>,
  ): Promise<T> {
    authorize(principal, 'connections.write');
    const target = await this.organizations.resolveTarget(principal, orgId);
    // A connection signs in anyone of its org: only a caller with that power may shape it.
    assertWithinCeiling(principal, connectionPower(target), `the connections of organization ${target}`);
    const valid = validateConnection(input, this.policy);
    if (
      input.connectionId !== undefined &&
      input.connectionId !== null &&
      input.connectionId !== connectionId
    ) {
      throw new Invalid(
        'connectionId',
        'differs from the connectionId in the path (a connection cannot be renamed)',
      );
    }
    return this.db.transaction().execute(async (trx) => {
      const secret =
        valid.clientSecret === undefined
          ? {}
          : { client_secret_enc: valid.clientSecret === null ? null : this.box.encrypt(valid.clientSecret) };
      const result = await trx
        .updateTable('connections')
        .set({ ...this.columns(valid, connectionId), ...secret, updated_at: Date.now() })
        .where('org_id', '=', target)
        .where('id', '=', connectionId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1)
        throw new NotFound(`Connection ${connectionId} was not found.`);
      await recordAudit(trx, {
        orgId: target,
        actor: actorOf(principal),
        action: 'connection.replace',
        target: `connection:${connectionId}`,
        detail: { type: valid.type },
      });
      const updated = (await this.row(trx, target, connectionId))!;
      // Response built and serialised here, inside the transaction: see Respond.
      return respond(toConnection(updated));
    });
  }

  /** Deletes the connection, its users' stored credentials and its logins in flight. */
  async delete(principal: Principal, connectionId: string, orgId?: string): Promise<void> {
    authorize(principal, 'connections.write');
    const target = await this.organizations.resolveTarget(principal, orgId);
    // A connection signs in anyone of its org: only a caller with that power may shape it.
    assertWithinCeiling(principal, connectionPower(target), `the connections of organization ${target}`);
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .deleteFrom('connections')
        .where('org_id', '=', target)
        .where('id', '=', connectionId)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1)
        throw new NotFound(`Connection ${connectionId} was not found.`);
      await trx
        .deleteFrom('connection_credentials')
        .where('org_id', '=', target)
        .where('connection_id', '=', connectionId)
        .execute();
      await trx
        .deleteFrom('federation_logins')
        .where('org_id', '=', target)
        .where('connection_id', '=', connectionId)
        .execute();
      await recordAudit(trx, {
        orgId: target,
        actor: actorOf(principal),
        action: 'connection.delete',
        target: `connection:${connectionId}`,
      });
    });
  }

  /**
   * Keyset paging on (org_id, id), the primary key: a page never repeats or skips a row that
   * existed when the listing began, whatever is inserted meanwhile. `filter` matches any text
   * field, case-insensitively, in SQL.
   */
  async list(
    principal: Principal,
    query: { orgId?: string; after?: string; limit: number; filter?: string },
  ): Promise<ConnectionPage> {
    authorize(principal, 'connections.read');
    const orgId = await this.organizations.resolveTarget(principal, query.orgId);
    let q = this.db.selectFrom('connections').selectAll().where('org_id', '=', orgId);
    if (query.after !== undefined) q = q.where('id', '>', query.after);
    const filter = query.filter?.trim().toLowerCase();
    if (filter) q = q.where(sql<boolean>`search_text like ${`%${escapeLike(filter)}%`} escape '\\'`);
    const rows = await q
      .orderBy('id')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    return {
      orgId,
      connections: page.map(toConnection),
      nextAfter: rows.length > query.limit ? page[page.length - 1]!.id : undefined,
    };
  }

  /** For the login flow: a connection of `orgId` with its secret unsealed. */
  async upstream(orgId: string, connectionId: string): Promise<UpstreamConnection | undefined> {
    const row = await this.row(this.db, orgId, connectionId);
    if (!row) return undefined;
    return {
      ...toConnection(row),
      clientSecret: row.client_secret_enc ? this.box.decrypt(row.client_secret_enc) : null,
    };
  }

  /** The login page's buttons: the organization's OAUTH2 connections (bounded). */
  async forLoginPage(orgId: string, max = 20): Promise<Connection[]> {
    const rows = await this.db
      .selectFrom('connections')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('type', '=', 'OAUTH2')
      .orderBy('id')
      .limit(max)
      .execute();
    return rows.map(toConnection);
  }
}
