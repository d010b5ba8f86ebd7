import type { Organizations } from '../organizations/organizations.js';
import type { Store } from '../../store/db.js';
import { AuthorisationQueries } from './relationQueries.js';
import { Authorisations } from './relations.js';
import { AuthorisationCatalog } from './catalog.js';
import { Namespaces } from './namespaces.js';

/** The Trivore-style authorisations area: types, sources, records and their queries. */
export interface AuthorisationServices {
  types: AuthorisationCatalog;
  sources: AuthorisationCatalog;
  records: Authorisations;
  queries: AuthorisationQueries;
}

export function createAuthorisationServices(
  store: Store,
  organizations: Organizations,
  now: () => number = Date.now,
): AuthorisationServices {
  const namespaces = new Namespaces(store.db, organizations);
  const types = new AuthorisationCatalog(store.db, store.dialect, namespaces, 'type');
  const sources = new AuthorisationCatalog(store.db, store.dialect, namespaces, 'source');
  return {
    types,
    sources,
    records: new Authorisations(store.db, namespaces, types, sources, now),
    queries: new AuthorisationQueries(store.db, store.dialect, namespaces, now),
  };
}
