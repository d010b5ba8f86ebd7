import type { Millis } from '../schema.js';

/**
 * Webex licenses of an organization. The two consumption counters are kept in step with
 * license_assignments in the same transaction (a conditional UPDATE guards totalUnits), so
 * consumedUnits = consumed_by_users + consumed_by_workspaces = the number of assignments.
 */
export interface LicensesTable {
  id: string;
  org_id: string;
  name: string;
  total_units: number;
  consumed_by_users: number;
  consumed_by_workspaces: number;
  subscription_id: string | null;
  site_url: string | null;
  /** Control Hub managed site | Linked site | Site Admin managed site */
  site_type: string | null;
  created_at: Millis;
  updated_at: Millis;
}

/** One unit of a license held by a person or a workspace (pending: an outside user not yet accepted). */
export interface LicenseAssignmentsTable {
  id: string;
  license_id: string;
  /** The license's organization. */
  org_id: string;
  /** person | workspace */
  holder_kind: string;
  holder_id: string;
  /** The holder's own organization (differs from org_id for EXTERNAL users). */
  holder_org_id: string;
  /** active | pending */
  status: string;
  /** Webex Calling properties: extension unique per location, E.164 number unique per org. */
  location_id: string | null;
  phone_number: string | null;
  extension: string | null;
  created_at: Millis;
}

/** Attendee accounts of people on an organization's Webex Meetings sites. */
export interface SiteAccountsTable {
  id: string;
  /** The organization whose license carries the site. */
  org_id: string;
  person_id: string;
  site_url: string;
  account_type: string;
  /** active | pending */
  status: string;
  created_at: Millis;
}

export interface LicenseTables {
  licenses: LicensesTable;
  license_assignments: LicenseAssignmentsTable;
  site_accounts: SiteAccountsTable;
}
