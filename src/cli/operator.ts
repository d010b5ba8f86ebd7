/**
 * The operator at the console: admin commands act as a full admin of the target organization
 * (root by default) through the same domain services and rules as the APIs, audited as
 * `client:system:cli`. Services load lazily: `keyward --help` never pays for them.
 */
import type { Principal } from '../domain/access/principal.js';
import type { KeywardConfig } from '../platform/config.js';
import type { Services } from '../services.js';

export interface OperatorContext {
  services: Services;
  /** A full-admin principal in the organization `--org` names (id or code; default root). */
  principal: Principal;
  org: { id: string; code: string; name: string };
}

export async function asOperator<T>(
  config: KeywardConfig,
  org: string | undefined,
  work: (ctx: OperatorContext) => Promise<T>,
): Promise<T> {
  const [{ createServices }, { ALL_SCOPES }, { ROOT_ORG_CODE }] = await Promise.all([
    import('../services.js'),
    import('../domain/access/scopes.js'),
    import('../domain/bootstrap.js'),
  ]);
  const { services } = await createServices(config, { migrate: true, bootstrap: false });
  try {
    const row = await services.organizations.findByIdOrCode(org ?? ROOT_ORG_CODE);
    if (!row) {
      throw new Error(
        org
          ? `no organization has the id or code ${JSON.stringify(org)}`
          : 'the database is empty: run `keyward serve` once to bootstrap it first',
      );
    }
    const principal: Principal = {
      kind: 'client',
      orgId: row.id,
      clientId: 'system:cli',
      roles: ['full_admin'],
      scopes: new Set(ALL_SCOPES),
      method: 'basic',
    };
    return await work({ services, principal, org: { id: row.id, code: row.code, name: row.name } });
  } finally {
    await services.close();
  }
}

/** `a, b ,c` → ['a','b','c']; undefined stays undefined. */
export const list = (value: unknown): string[] | undefined =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : undefined;

export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Rows as aligned columns under a header. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return `${all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}
