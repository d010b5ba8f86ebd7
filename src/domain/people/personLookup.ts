import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { PhoneNumber, PostalAddress } from '../identity/claims.js';
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
  'phone_numbers',
  'addresses',
] as const;

/** A JSON list column; anything unreadable counts as empty (claims are best effort). */
function jsonList<T>(text: string | null | undefined): T[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function toActive(row: {
  id: string;
  org_id: string;
  email: string;
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  password_hash: string | null;
  phone_numbers?: string | null;
  addresses?: string | null;
}): ActivePerson {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    displayName: row.display_name,
    firstName: row.first_name,
    lastName: row.last_name,
    passwordHash: row.password_hash,
    phoneNumbers: jsonList<PhoneNumber>(row.phone_numbers),
    addresses: jsonList<PostalAddress>(row.addresses),
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
