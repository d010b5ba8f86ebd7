/** Webex admin roles; every family maps its permissions onto these (see access/matrix.ts). */
export const ADMIN_ROLES = ['full_admin', 'user_admin', 'device_admin', 'read_only_admin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export function isAdminRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}

export function parseRoles(json: string): AdminRole[] {
  try {
    const value = JSON.parse(json);
    return Array.isArray(value)
      ? value.filter((r): r is AdminRole => typeof r === 'string' && isAdminRole(r))
      : [];
  } catch {
    return [];
  }
}
