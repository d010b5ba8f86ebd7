import type { JsonText, Millis } from '../schema.js';

/** Webex locations: a site of an organization (calling licenses need one). */
export interface LocationsTable {
  id: string;
  org_id: string;
  name: string;
  /** JSON: {address1, address2?, city, state?, postalCode, country}. */
  address: JsonText;
  time_zone: string | null;
  created_at: Millis;
  updated_at: Millis;
}

/** Webex workspaces: rooms and shared devices that can hold licenses too. */
export interface WorkspacesTable {
  id: string;
  org_id: string;
  display_name: string;
  location_id: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface PlacesTables {
  locations: LocationsTable;
  workspaces: WorkspacesTable;
}
