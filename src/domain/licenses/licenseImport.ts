import { sql, type Kysely } from 'kysely';
import { Invalid } from '../../platform/errors.js';
import type { Database } from '../../store/schema.js';
import { recordAudit } from '../audit/auditLog.js';
import { checkLicenseFields, licenseRow, type NewLicense } from './licenses.js';
import { consumedUnits } from './licenseRules.js';

/** One entry of an import file: `org` is an organization id or code; `id` updates an existing license. */
export interface ImportEntry extends Omit<NewLicense, 'orgId'> {
  org: string;
  id?: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  /** Per entry, in file order: the license id and what the import did. */
  ids: { id: string; action: 'created' | 'updated' }[];
}

/** Thrown inside the transaction to roll a dry run back. */
class DryRun extends Error {}

/**
 * Operator import (`keyward licenses import`): every entry is checked first, then the whole file is
 * written in one transaction (all or nothing). An entry with the id of an existing license updates
 * it (same org only; totalUnits never below consumption). `progress(done, total)` after each entry.
 */
export async function importLicenses(
  db: Kysely<Database>,
  entries: unknown,
  progress: (done: number, total: number) => void = () => {},
  options: { dryRun?: boolean } = {},
): Promise<ImportResult> {
  const list = Array.isArray(entries) ? entries : (entries as { licenses?: unknown })?.licenses;
  if (!Array.isArray(list))
    throw new Invalid(undefined, 'the file must hold an array of licenses or {"licenses": [...]}');
  const orgs = await db.selectFrom('organizations').select(['id', 'code']).execute();
  const orgOf = new Map<string, string>();
  for (const o of orgs) {
    orgOf.set(o.id, o.id);
    orgOf.set(o.code, o.id);
  }
  const checked = list.map((raw, index) => {
    const entry = raw as ImportEntry;
    const where = `licenses[${index}]`;
    try {
      const orgId = orgOf.get(String(entry?.org ?? ''));
      if (!orgId)
        throw new Invalid('org', `no organization has the id or code ${JSON.stringify(entry?.org)}`);
      if (
        entry.id !== undefined &&
        (typeof entry.id !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(entry.id))
      ) {
        throw new Invalid('id', 'must be 1 to 128 letters, digits, _ or -');
      }
      return {
        orgId,
        id: entry.id,
        fields: checkLicenseFields({ ...entry, totalUnits: Number(entry.totalUnits) }),
      };
    } catch (error) {
      if (error instanceof Invalid) throw new Invalid(`${where}.${error.field ?? ''}`, error.reason);
      throw error;
    }
  });
  const result: ImportResult = { created: 0, updated: 0, ids: [] };
  await db
    .transaction()
    .execute(async (trx) => {
      for (const [index, entry] of checked.entries()) {
        // Without an id, org + name identify the license: importing the same file twice is a no-op.
        const existing = entry.id
          ? await trx.selectFrom('licenses').selectAll().where('id', '=', entry.id).executeTakeFirst()
          : await trx
              .selectFrom('licenses')
              .selectAll()
              .where('org_id', '=', entry.orgId)
              .where('name', '=', entry.fields.name)
              .orderBy('id')
              .limit(1)
              .executeTakeFirst();
        if (existing) {
          if (existing.org_id !== entry.orgId) {
            throw new Invalid(`licenses[${index}].id`, `license ${entry.id} belongs to another organization`);
          }
          if (entry.fields.totalUnits < consumedUnits(existing)) {
            throw new Invalid(
              `licenses[${index}].totalUnits`,
              `${entry.fields.totalUnits} is below the ${consumedUnits(existing)} units consumed`,
            );
          }
          await trx
            .updateTable('licenses')
            .set({
              name: entry.fields.name,
              total_units: entry.fields.totalUnits,
              subscription_id: entry.fields.subscriptionId ?? null,
              site_url: entry.fields.siteUrl ?? null,
              site_type: entry.fields.siteType ?? null,
              updated_at: Date.now(),
            })
            .where('id', '=', existing.id)
            .where(sql<boolean>`consumed_by_users + consumed_by_workspaces <= ${entry.fields.totalUnits}`)
            .execute();
          result.updated++;
          result.ids.push({ id: existing.id, action: 'updated' });
        } else {
          const row = licenseRow(entry.orgId, entry.fields, entry.id);
          await trx.insertInto('licenses').values(row).execute();
          result.created++;
          result.ids.push({ id: row.id, action: 'created' });
        }
        await recordAudit(trx, {
          orgId: entry.orgId,
          actor: 'system:cli',
          action: existing ? 'license.update' : 'license.create',
          target: result.ids[result.ids.length - 1]!.id,
          detail: { name: entry.fields.name, totalUnits: entry.fields.totalUnits, via: 'import' },
        });
        progress(index + 1, checked.length);
      }
      if (options.dryRun) throw new DryRun();
    })
    .catch((error) => {
      if (!(error instanceof DryRun)) throw error;
    });
  return result;
}
