import { CustomerOrganizations } from '../domain/organizations/customerOrganizations.js';
import { migrateToLatest, openStore } from '../store/db.js';
import type { CliCommand } from './command.js';

/** `keyward org create --name X [--code Y] [--parent CODE]`: a top-level (partner) or customer organization. */
export const orgCreate: CliCommand = {
  summary: 'create an organization (a customer of --parent, else a top-level partner organization)',
  options: {
    name: { type: 'string', help: 'display name (required)' },
    code: { type: 'string', help: 'unique code: a-z 0-9 . _ - (default org-<id>)' },
    parent: { type: 'string', help: 'code of the partner organization that manages it' },
  },
  async run({ config, values, out }) {
    const name = values.name;
    if (typeof name !== 'string' || name.trim() === '') throw new Error('--name is required');
    const store = openStore(config().database);
    try {
      await migrateToLatest(store);
      // Bootstrap runs only on a database without organizations: creating one first would skip it.
      const any = await store.db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
      if (!any) throw new Error('the database is empty: run `keyward serve` once to bootstrap it first');
      const org = await new CustomerOrganizations(store.db).createAsOperator({
        name,
        code: typeof values.code === 'string' ? values.code : undefined,
        parentCode: typeof values.parent === 'string' ? values.parent : undefined,
      });
      out(
        `organization ${org.id} code ${org.code}${org.parent_id ? ` (customer of ${values.parent})` : ''}\n`,
      );
    } finally {
      await store.close();
    }
  },
};
