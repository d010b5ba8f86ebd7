import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as places from './0002_places.js';
import * as oauthClients from './0003_oauth_clients.js';
import * as authorisations from './0004_authorisations.js';
import * as tokenService from './0005_token_service.js';
import * as connections from './0006_connections.js';
import * as people from './0007_people.js';
import * as licenses from './0008_licenses.js';
import * as peopleSearch from './0009_people_search.js';
import * as orgManagers from './0015_org_managers.js';
import * as oidcConformance from './0018_oidc_conformance.js';

/**
 * The one migration set, run on SQLite and PostgreSQL alike. Add a file per change
 * (`NNNN_<what>.ts`) and list it here; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_places': places,
  '0003_oauth_clients': oauthClients,
  '0004_authorisations': authorisations,
  '0005_token_service': tokenService,
  '0006_connections': connections,
  '0007_people': people,
  '0008_licenses': licenses,
  '0009_people_search': peopleSearch,
  '0015_org_managers': orgManagers,
  '0018_oidc_conformance': oidcConformance,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
