/**
 * Creating, replacing, revoking and deleting authorisations. Each write is one transaction with
 * its audit event and its history state (see history.ts), so the check endpoint stays exact.
 * Revocation is final: a revoked authorisation cannot be revoked again (409) nor changed by PUT.
 */
import type { Kysely, Transaction } from 'kysely';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { isUniqueViolation } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { AuthorisationRow } from '../../store/tables/authorisations.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import { withCodes } from './relationQueries.js';
import { isForeignKeyViolation, type AuthorisationCatalog } from './catalog.js';
import { appendState, closeState } from './history.js';
import {
  parseInstant,
  parseParty,
  type Authorisation,
  type AuthorisationInput,
  type Party,
} from './model.js';
import type { Namespace, Namespaces } from './namespaces.js';

const MAX_CAUSE = 1000;

export class Authorisations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly namespaces: Namespaces,
    private readonly types: AuthorisationCatalog,
    private readonly sources: AuthorisationCatalog,
    private readonly now: () => number = Date.now,
  ) {}

  async get(principal: Principal, id: string): Promise<Authorisation> {
    authorize(principal, 'authorisations.read');
    return this.present(await this.find(principal, id));
  }

  async create(principal: Principal, input: AuthorisationInput): Promise<Authorisation> {
    authorize(principal, 'authorisations.create');
    if (input.revoked === true) throw new Invalid('revoked', 'a new authorisation cannot be revoked');
    const ns = await this.namespaces.forWrite(principal, input.nsCode);
    const now = this.now();
    const fields = await this.validate(ns, input, undefined, now);
    const creator =
      principal.kind === 'person' && principal.personId
        ? { creator_type: 'User', creator_id: principal.personId }
        : { creator_type: 'ManagementApiClient', creator_id: principal.clientId };
    const row: AuthorisationRow = {
      id: newId(now),
      org_id: ns.orgId,
      ...fields,
      revoked_at: null,
      revocation_cause: null,
      ...creator,
      created_at: now,
      updated_at: now,
    };
    await this.write(async (trx) => {
      await trx.insertInto('authorisations').values(row).execute();
      await appendState(trx, row, 1, now);
      await recordAudit(trx, {
        orgId: ns.orgId,
        actor: actorOf(principal),
        action: 'authorisation.create',
        target: `authorisation:${row.id}`,
        detail: { type: input.type, subject: fields.subject_value, object: fields.object_value },
      });
    });
    return this.present(row);
  }

  /**
   * PUT: replaces type, subject and object; optional fields omitted keep their value (null
   * clears validTo/authSource). The namespace cannot change; revoked authorisations are final.
   */
  async replace(principal: Principal, id: string, input: AuthorisationInput): Promise<Authorisation> {
    authorize(principal, 'authorisations.modify');
    const current = await this.find(principal, id);
    if (current.revoked_at !== null) {
      throw new Conflict(`Authorisation ${id} is revoked; a revoked authorisation cannot be modified.`);
    }
    if (input.revoked === true)
      throw new Invalid('revoked', `use POST /api/rest/v1/authorisation/${id}/revoke`);
    const ns = { orgId: current.org_id, code: await this.nsCodeOf(current.org_id) };
    if (input.nsCode !== undefined && input.nsCode !== ns.code) {
      throw new Invalid('nsCode', 'an authorisation cannot move to another namespace');
    }
    const now = this.now();
    const fields = await this.validate(ns, input, current, now);
    const next: AuthorisationRow = { ...current, ...fields, updated_at: now };
    await this.write(async (trx) => {
      const result = await trx
        .updateTable('authorisations')
        .set({ ...fields, updated_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('updated_at', '=', current.updated_at)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw concurrent(id);
      const version = await closeState(trx, id, now);
      await appendState(trx, next, version + 1, now);
      await recordAudit(trx, {
        orgId: current.org_id,
        actor: actorOf(principal),
        action: 'authorisation.update',
        target: `authorisation:${id}`,
        detail: { previous: windowOf(current), next: windowOf(next) },
      });
    });
    return this.present(next);
  }

  /** Revokes now with an optional cause. Revoking twice is a 409: the first revocation stands. */
  async revoke(principal: Principal, id: string, cause: string | undefined): Promise<Authorisation> {
    authorize(principal, 'authorisations.revoke');
    if (cause !== undefined && cause.length > MAX_CAUSE) {
      throw new Invalid('cause', `must be at most ${MAX_CAUSE} characters`);
    }
    const current = await this.find(principal, id);
    if (current.revoked_at !== null) throw alreadyRevoked(current);
    const now = this.now();
    // The vendor keeps meta.lastModified on revoke (its example shows it unchanged).
    const next: AuthorisationRow = { ...current, revoked_at: now, revocation_cause: cause ?? null };
    await this.write(async (trx) => {
      const result = await trx
        .updateTable('authorisations')
        .set({ revoked_at: now, revocation_cause: cause ?? null })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new Conflict(`Authorisation ${id} is already revoked.`);
      const version = await closeState(trx, id, now);
      await appendState(trx, next, version + 1, now);
      await recordAudit(trx, {
        orgId: current.org_id,
        actor: actorOf(principal),
        action: 'authorisation.revoke',
        target: `authorisation:${id}`,
        detail: { cause: cause ?? null },
      });
    });
    return this.present(next);
  }

  /** Deletes the record; its history stays, so checks for earlier instants still answer. */
  async delete(principal: Principal, id: string): Promise<void> {
    authorize(principal, 'authorisations.delete');
    const current = await this.find(principal, id);
    const now = this.now();
    await this.write(async (trx) => {
      const result = await trx.deleteFrom('authorisations').where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) !== 1) throw new NotFound(`Authorisation ${id} was not found.`);
      await closeState(trx, id, now);
      await recordAudit(trx, {
        orgId: current.org_id,
        actor: actorOf(principal),
        action: 'authorisation.delete',
        target: `authorisation:${id}`,
        detail: { ...windowOf(current), subject: current.subject_value, object: current.object_value },
      });
    });
  }

  private async find(principal: Principal, id: string): Promise<AuthorisationRow> {
    const row = await this.db
      .selectFrom('authorisations')
      .selectAll()
      .where('id', '=', id)
      .where(this.namespaces.scope(principal, 'authorisations.org_id'))
      .executeTakeFirst();
    if (!row) throw new NotFound(`Authorisation ${id} was not found.`);
    return row;
  }

  private async present(row: AuthorisationRow): Promise<Authorisation> {
    const [authorisation] = await withCodes(this.db, [row], this.now());
    return authorisation!;
  }

  private async nsCodeOf(orgId: string): Promise<string> {
    const org = await this.db
      .selectFrom('organizations')
      .select('code')
      .where('id', '=', orgId)
      .executeTakeFirst();
    return org?.code ?? '';
  }

  /** The validated, resolved columns of a create (`current` undefined) or a replace. */
  private async validate(
    ns: Namespace,
    input: AuthorisationInput,
    current: AuthorisationRow | undefined,
    now: number,
  ) {
    if (input.type === undefined || input.type === '') throw new Invalid('type', 'is required');
    const type = await this.types.findByCode(ns.orgId, input.type);
    if (!type) {
      throw new Invalid(
        'type',
        `no authorisation type ${JSON.stringify(input.type)} in namespace ${JSON.stringify(ns.code)}`,
      );
    }
    let sourceId = current?.source_id ?? null;
    if (input.authSource === null || input.authSource === '') sourceId = null;
    else if (input.authSource !== undefined) {
      const source = await this.sources.findByCode(ns.orgId, input.authSource);
      if (!source) {
        throw new Invalid(
          'authSource',
          `no authorisation source ${JSON.stringify(input.authSource)} in namespace ${JSON.stringify(ns.code)}`,
        );
      }
      sourceId = source.id;
    }
    const subject = parseParty('subject', input.subject);
    const object = parseParty('object', input.object);
    await this.requirePerson('subject', subject, ns);
    await this.requirePerson('object', object, ns);

    const validFrom =
      input.validFrom === undefined || input.validFrom === null
        ? (current?.valid_from ?? now)
        : parseInstant('validFrom', input.validFrom);
    const validTo =
      input.validTo === undefined
        ? (current?.valid_to ?? null)
        : input.validTo === null
          ? null
          : parseInstant('validTo', input.validTo);
    if (validTo !== null && validFrom >= validTo)
      throw new Invalid('validTo', 'must be later than validFrom');
    return {
      type_id: type.id,
      source_id: sourceId,
      subject_type: subject.type,
      subject_value: subject.value,
      object_type: object.type,
      object_value: object.value,
      valid_from: validFrom,
      valid_to: validTo,
    };
  }

  /** A `User` party names a person of the authorisation's namespace. */
  private async requirePerson(field: 'subject' | 'object', party: Party, ns: Namespace): Promise<void> {
    if (party.type !== 'User') return;
    const person = await this.db
      .selectFrom('people')
      .select('id')
      .where('id', '=', party.value)
      .where('org_id', '=', ns.orgId)
      .executeTakeFirst();
    if (!person) {
      throw new Invalid(
        `${field}.value`,
        `no User ${JSON.stringify(party.value)} in namespace ${JSON.stringify(ns.code)}`,
      );
    }
  }

  private async write(body: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    try {
      await this.db.transaction().execute(body);
    } catch (error) {
      // Two writers raced for the same history version, or the type/source was deleted meanwhile.
      if (isUniqueViolation(error)) throw new Conflict('The authorisation was changed concurrently; retry.');
      if (isForeignKeyViolation(error))
        throw new Conflict('The authorisation type or source was deleted meanwhile.');
      throw error;
    }
  }
}

function windowOf(row: AuthorisationRow) {
  return { validFrom: row.valid_from, validTo: row.valid_to, typeId: row.type_id };
}

function concurrent(id: string): Conflict {
  return new Conflict(`Authorisation ${id} was changed or revoked concurrently; fetch it and retry.`);
}

function alreadyRevoked(row: AuthorisationRow): Conflict {
  return new Conflict(
    `Authorisation ${row.id} was already revoked at ${new Date(row.revoked_at!).toISOString()}; revocation is final.`,
  );
}
