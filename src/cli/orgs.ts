import type { CliCommand } from './command.js';
import { asOperator, text } from './operator.js';
import { clientsCreate, personCreate } from './admin.js';

/**
 * `keyward org create --name X [--code Y] [--parent CODE] [--admin-email E] [--client NAME]`: a customer
 * of --parent, else a top-level (partner) organization that the root organization manages; with its
 * first full-admin person and/or service client, so it is usable at once.
 */
export const orgCreate: CliCommand = {
  summary:
    'create an organization (a customer of --parent, else a top-level partner managed by root), with its first admin or client',
  options: {
    name: { type: 'string', help: 'display name (required)' },
    code: { type: 'string', help: 'unique code: a-z 0-9 . _ - (default org-<id>)' },
    parent: { type: 'string', help: 'code of the partner organization that manages it' },
    'admin-email': {
      type: 'string',
      help: 'also create a full-admin person with this login (password printed once)',
    },
    client: {
      type: 'string',
      help: 'also create a full-admin service client with this name (secret printed once)',
    },
  },
  async run(input) {
    const { config, values, out } = input;
    const name = text(values.name);
    if (!name?.trim()) throw new Error('--name is required');
    // Bootstrap runs only on a database without organizations: creating one first would skip it.
    const org = await asOperator(config(), undefined, async (ctx) =>
      ctx.services.customerOrganizations.createAsOperator({
        name,
        code: text(values.code),
        parentCode: text(values.parent),
      }),
    );
    const parent = org.parent_id ? ` (customer of ${values.parent})` : ' (top-level, managed by root)';
    out(`organization ${org.id} code ${org.code}${parent}\n`);
    const adminEmail = text(values['admin-email']);
    if (adminEmail) {
      await personCreate.run({ ...input, values: { email: adminEmail, org: org.id, roles: 'full_admin' } });
    }
    const client = text(values.client);
    if (client) {
      await clientsCreate.run({ ...input, values: { name: client, org: org.id, roles: 'full_admin' } });
    }
  },
};
