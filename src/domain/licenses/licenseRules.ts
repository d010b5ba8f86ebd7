import type { Selectable } from 'kysely';
import { Invalid } from '../../platform/errors.js';
import type { LicensesTable } from '../../store/tables/licenses.js';

export type LicenseRow = Selectable<LicensesTable>;

export const SITE_TYPES = ['Control Hub managed site', 'Linked site', 'Site Admin managed site'] as const;

/** The flags wxc_sdk's License model derives from the license name (exact names). */
export function licenseFlags(name: string) {
  const webexCallingProfessional = name === 'Webex Calling - Professional';
  const webexCallingBasic = name === 'Webex Calling - Basic';
  const webexCallingWorkspaces = name === 'Webex Calling - Workspaces';
  return {
    webexCalling: webexCallingProfessional || webexCallingBasic || webexCallingWorkspaces,
    webexCallingProfessional,
    webexCallingBasic,
    webexCallingWorkspaces,
  };
}

export const consumedUnits = (row: LicenseRow) => row.consumed_by_users + row.consumed_by_workspaces;

export interface CallingProperties {
  locationId?: string;
  phoneNumber?: string;
  extension?: string;
}

// E.164: a country code and subscriber number, at most 15 digits. The vendor's examples omit the
// '+' (14085267209), so it is optional on input and always stored.
const E164 = /^\+?[1-9][0-9]{7,14}$/;
const EXTENSION = /^[0-9]{2,10}$/;

/**
 * Webex Calling properties: phoneNumber or extension; without phoneNumber a locationId. Keyward also
 * wants a location with every extension (extensions are unique per location). Returns normalised values.
 */
export function checkCallingProperties(
  field: string,
  props: CallingProperties | undefined,
): { locationId: string | null; phoneNumber: string | null; extension: string | null } {
  const phone = props?.phoneNumber?.trim() || undefined;
  const extension = props?.extension?.trim() || undefined;
  const locationId = props?.locationId?.trim() || undefined;
  if (!phone && !extension) {
    throw new Invalid(`${field}.properties`, 'a Webex Calling license needs phoneNumber or extension', {
      errorCode: 400411,
    });
  }
  if (phone && !E164.test(phone.replace(/[\s-]/g, ''))) {
    throw new Invalid(`${field}.properties.phoneNumber`, `${phone} is not an E.164 phone number`);
  }
  if (extension && !EXTENSION.test(extension)) {
    throw new Invalid(`${field}.properties.extension`, 'must be 2 to 10 digits');
  }
  if (!locationId && (!phone || extension)) {
    throw new Invalid(
      `${field}.properties.locationId`,
      phone ? 'is required with an extension' : 'is required when phoneNumber is not given',
    );
  }
  const digits = phone?.replace(/[\s-+]/g, '');
  return {
    locationId: locationId ?? null,
    phoneNumber: digits ? `+${digits}` : null,
    extension: extension ?? null,
  };
}
