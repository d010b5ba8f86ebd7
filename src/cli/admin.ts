/**
 * Recovery and automation (issue 21): clients, people, passwords and a fresh full admin, from the
 * console, through the same domain rules as the APIs. Secrets and passwords are printed once.
 */
import type { CliCommand } from './command.js';
import { asOperator, list, table, text, type OperatorContext } from './operator.js';

const ORG = { type: 'string', help: 'organization id or code (default: root)' } as const;

function secretLines(clientId: string, secret: string | null, issuer: string): string {
  const rows = [`Client ID      ${clientId}`];
  if (secret) rows.push(`Client secret  ${secret}   (shown once)`);
  if (secret) {
    rows.push(
      '',
      '# ready to paste:',
      `export KEYWARD_URL=${issuer}`,
      `export CLIENT_ID=${clientId}`,
      `export CLIENT_SECRET=${secret}`,
    );
  }
  return `${rows.join('\n')}\n`;
}

async function createClient(
  ctx: OperatorContext,
  input: { name: string; roles: string[]; scope?: string[] },
) {
  return ctx.services.oauthClients.create(ctx.principal, {
    name: input.name,
    description: 'Created with keyward clients create',
    accessTokenValiditySeconds: 3600,
    grantTypes: ['CLIENT_CREDENTIALS'],
    accessType: 'OFFLINE',
    enabled: true,
    roles: input.roles,
    ...(input.scope ? { scope: input.scope } : {}),
  });
}

export const clientsCreate: CliCommand = {
  summary: 'create a service client (client_credentials); its secret is printed once',
  options: {
    name: { type: 'string', help: 'display name (required)' },
    org: ORG,
    roles: { type: 'string', help: 'admin roles, comma-separated (default: none)' },
    scope: { type: 'string', help: 'scopes, comma-separated (default: all the caller may grant)' },
  },
  async run({ config, values, out }) {
    const name = text(values.name);
    if (!name?.trim()) throw new Error('--name is required');
    const cfg = config();
    await asOperator(cfg, text(values.org), async (ctx) => {
      const { client, secret } = await createClient(ctx, {
        name,
        roles: list(values.roles) ?? [],
        scope: list(values.scope),
      });
      out(`client ${client.id} in ${ctx.org.code} (roles: ${client.roles.join(', ') || 'none'})\n`);
      out(secretLines(client.id, secret, cfg.issuer));
    });
  },
};

export const clientsList: CliCommand = {
  summary: "list an organization's OAuth clients",
  options: { org: ORG },
  async run({ config, values, out }) {
    await asOperator(config(), text(values.org), async (ctx) => {
      const { items } = await ctx.services.oauthClients.list(ctx.principal, {
        sort: [{ field: 'created', descending: false }],
        offset: 0,
        limit: 10_000,
        count: false,
      });
      out(
        table(
          ['ID', 'NAME', 'GRANT TYPES', 'ROLES', 'ENABLED'],
          items.map((c) => [
            c.id,
            c.name,
            c.grantTypes.join(','),
            c.roles.join(',') || '-',
            String(c.enabled),
          ]),
        ),
      );
    });
  },
};

export const clientsDelete: CliCommand = {
  summary: 'delete an OAuth client; its tokens stop working at once',
  args: 'CLIENT_ID',
  options: { org: ORG },
  async run({ config, values, positionals, out }) {
    const id = positionals[0];
    if (!id) throw new Error('the client id is required: keyward clients delete CLIENT_ID');
    await asOperator(config(), text(values.org), async (ctx) => {
      await ctx.services.oauthClients.delete(ctx.principal, id);
      out(`deleted client ${id}\n`);
    });
  },
};

async function personByEmail(ctx: OperatorContext, email: string) {
  const { rows } = await ctx.services.peopleAdmin.list(ctx.principal, { email, max: 1 });
  const person = rows.find((p) => p.email.toLowerCase() === email.toLowerCase());
  if (!person) throw new Error(`no person with the email ${email} in ${ctx.org.code}`);
  return person;
}

async function newPassword(given: string | undefined): Promise<{ password: string; generated: boolean }> {
  if (given) return { password: given, generated: false };
  const { generatePassword } = await import('../domain/people/passwords.js');
  return { password: generatePassword(), generated: true };
}

export const personCreate: CliCommand = {
  summary: 'create a person with admin roles and a password (generated and printed once unless given)',
  options: {
    email: { type: 'string', help: 'login email (required)' },
    name: { type: 'string', help: 'display name' },
    org: ORG,
    roles: { type: 'string', help: 'admin roles, comma-separated: full_admin, user_admin, ...' },
    password: { type: 'string', help: 'initial password (default: generated)' },
  },
  async run({ config, values, out }) {
    const email = text(values.email);
    if (!email) throw new Error('--email is required');
    await asOperator(config(), text(values.org), async (ctx) => {
      const person = await ctx.services.peopleAdmin.create(ctx.principal, {
        emails: [email],
        displayName: text(values.name) ?? email.split('@')[0]!,
        roles: list(values.roles) ?? [],
      });
      const { password, generated } = await newPassword(text(values.password));
      await ctx.services.peopleAdmin.setPassword(ctx.principal, person.id, password);
      out(
        `person ${person.id} ${email} in ${ctx.org.code} (roles: ${JSON.parse(person.roles).join(', ') || 'none'})\n`,
      );
      if (generated) out(`Password  ${password}   (shown once)\n`);
    });
  },
};

export const personSetPassword: CliCommand = {
  summary: "set a person's password (generated and printed once unless given); their sessions end",
  options: {
    email: { type: 'string', help: 'the person (required)' },
    org: ORG,
    password: { type: 'string', help: 'the new password (default: generated)' },
  },
  async run({ config, values, out }) {
    const email = text(values.email);
    if (!email) throw new Error('--email is required');
    await asOperator(config(), text(values.org), async (ctx) => {
      const person = await personByEmail(ctx, email);
      const { password, generated } = await newPassword(text(values.password));
      await ctx.services.peopleAdmin.setPassword(ctx.principal, person.id, password);
      out(`password set for ${email}\n`);
      if (generated) out(`Password  ${password}   (shown once)\n`);
    });
  },
};

export const bootstrapAdmin: CliCommand = {
  summary:
    'lost the bootstrap credentials? create a fresh full-admin client (default) or person (--email) in root',
  options: {
    email: { type: 'string', help: 'create a full-admin person with this login instead of a client' },
    name: { type: 'string', help: 'client name (default: "Recovery admin client")' },
  },
  async run({ config, values, out }) {
    const cfg = config();
    const email = text(values.email);
    await asOperator(cfg, undefined, async (ctx) => {
      if (email) {
        const person = await ctx.services.peopleAdmin.create(ctx.principal, {
          emails: [email],
          displayName: 'Administrator',
          roles: ['full_admin'],
        });
        const { password } = await newPassword(undefined);
        await ctx.services.peopleAdmin.setPassword(ctx.principal, person.id, password);
        out(
          `full-admin person ${person.id} in ${ctx.org.code}\nLogin     ${email}\nPassword  ${password}   (shown once)\n`,
        );
        return;
      }
      const { client, secret } = await createClient(ctx, {
        name: text(values.name) ?? 'Recovery admin client',
        roles: ['full_admin'],
      });
      out(`full-admin client in ${ctx.org.code}\n`);
      out(secretLines(client.id, secret, cfg.issuer));
    });
  },
};
