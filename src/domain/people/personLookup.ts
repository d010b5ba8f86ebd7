import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { IdTokenPerson } from '../tokens/idTokens.js';

/** The few person facts the token service needs (login, ID tokens, userinfo). */
export interface ActivePerson extends IdTokenPerson {
  orgId: string;
  passwordHash: string | null;
}

const columns = [
  'id',
  'org_id',
  'email',
  'display_name',
  'first_name',
  'last_name',
  'password_hash',
] as const;

function toActive(row: {
  id: string;
  org_id: string;
  email: string;
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  password_hash: string | null;
}): ActivePerson {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    displayName: row.display_name,
    firstName: row.first_name,
    lastName: row.last_name,
    passwordHash: row.password_hash,
  };
}

export async function activePersonByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<ActivePerson | undefined> {
  const row = await db
    .selectFrom('people')
    .select(columns)
    .where('email', '=', email.trim().toLowerCase())
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row ? toActive(row) : undefined;
}

export async function activePersonById(db: Kysely<Database>, id: string): Promise<ActivePerson | undefined> {
  const row = await db
    .selectFrom('people')
    .select(columns)
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row ? toActive(row) : undefined;
}
