import { Authenticator } from './domain/access/authenticator.js';
import {
  createAuthorisationServices,
  type AuthorisationServices,
} from './domain/relations/relationServices.js';
import { bootstrapIfEmpty, type BootstrapResult } from './domain/bootstrap.js';
import { AccessKeys } from './domain/clients/accessKeys.js';
import { registerConsoleClient } from './domain/clients/consoleClient.js';
import { ClientDirectory } from './domain/clients/clientDirectory.js';
import { OAuthClients } from './domain/clients/oauthClients.js';
import {
  createConnectionServices,
  type ConnectionServices,
} from './domain/connections/connectionServices.js';
import { SigningKeys } from './domain/keys/signingKeys.js';
import { Organizations } from './domain/organizations/organizations.js';
import { PersonDirectory } from './domain/people/personDirectory.js';
import { PeopleAdmin } from './domain/people/people.js';
import { Locations } from './domain/places/locations.js';
import { Licenses } from './domain/licenses/licenses.js';
import { UserLicenseAssignments } from './domain/licenses/userLicenses.js';
import { WorkspaceLicenses, releaseOnDelete } from './domain/licenses/workspaceLicenses.js';
import { Workspaces } from './domain/places/workspaces.js';
import { AuditEvents } from './domain/audit/auditEvents.js';
import { CustomerOrganizations } from './domain/organizations/customerOrganizations.js';
import { Consents } from './domain/sessions/consents.js';
import { LoginSessions } from './domain/sessions/loginSessions.js';
import { LoginThrottle } from './domain/sessions/loginThrottle.js';
import { privateDir } from './platform/files.js';
import { AccessTokens } from './domain/tokens/accessTokens.js';
import { Authorizations } from './domain/grants/personGrants.js';
import { IdTokens } from './domain/tokens/idTokens.js';
import { TokenGrants } from './domain/grants/grants.js';
import { TokenRevocations } from './domain/grants/revocations.js';
import type { KeywardConfig } from './platform/config.js';
import { loadMasterKey, secretBox, type SecretBox } from './platform/crypto/masterKey.js';
import { Outbound } from './platform/outbound/index.js';
import type { Limiter } from './platform/rateLimit.js';
import { createLimiter } from './platform/redisRateLimit.js';
import { componentLog } from './http/logging.js';
import { createChangeFeed, type ChangeFeed } from './store/changeFeed.js';
import { migrateToLatest, openStore, type Store } from './store/db.js';
import { masterKeyMismatch, preflight } from './store/preflight.js';

/** The domain services of one Keyward process, built once and shared by every API family. */
export interface Services {
  config: KeywardConfig;
  store: Store;
  box: SecretBox;
  feed: ChangeFeed;
  keys: SigningKeys;
  tokens: AccessTokens;
  clients: ClientDirectory;
  authenticator: Authenticator;
  organizations: Organizations;
  people: PersonDirectory;
  revocations: TokenRevocations;
  grants: TokenGrants;
  idTokens: IdTokens;
  sessions: LoginSessions;
  throttle: LoginThrottle;
  consents: Consents;
  /** Trivore-style authorisations, their types and sources. */
  authorisations: AuthorisationServices;
  /** SailPoint-style OAuth client administration (create, patch, delete, rotate secret). */
  oauthClients: OAuthClients;
  /** Per-client management API rate limit (KEYWARD_RATE_LIMIT_*; in Redis with KEYWARD_REDIS_URL). */
  rateLimiter: Limiter;
  /** Webex-style authorizations: people's token grants, listed and revoked. */
  authorizations: Authorizations;
  /** Authress-style SSO connections, people's upstream credentials and federation login. */
  connections: ConnectionServices;
  /** Every HTTP request to an upstream goes through this (address policy, limits; issue 13 §3). */
  outbound: Outbound;
  /** Authress-style access keys of service clients (also accepted by the authenticator). */
  accessKeys: AccessKeys;
  /** Webex-style people administration (create, replace, delete, passwords; issue 3). */
  peopleAdmin: PeopleAdmin;
  /** Webex-style locations and workspaces of an organization. */
  locations: Locations;
  workspaces: Workspaces;
  /** The admin audit log, read (GET /v1/adminAudit/events). */
  auditEvents: AuditEvents;
  /** Creating organizations: partners' customers (API) and any (CLI). */
  customerOrganizations: CustomerOrganizations;
  /** Webex-style licenses: inventory, people's and workspaces' assignments (issue 7). */
  licenses: Licenses;
  userLicenses: UserLicenseAssignments;
  workspaceLicenses: WorkspaceLicenses;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Run pending migrations first (serve does; tests do). */
  migrate?: boolean;
  /** Create the root org, admin and client on an empty database. */
  bootstrap?: boolean;
}

export async function createServices(
  config: KeywardConfig,
  options: StartOptions = { migrate: true, bootstrap: true },
): Promise<{ services: Services; bootstrapped?: BootstrapResult }> {
  await preflight(config);
  privateDir(config.dataDir);
  const box = secretBox(loadMasterKey(config.masterKey, config.dataDir));
  const store = openStore(config.database, config.dbTimeouts);
  try {
    if (options.migrate) await migrateToLatest(store);
    const bootstrapped = options.bootstrap ? await bootstrapIfEmpty(store.db, config.bootstrap) : undefined;
    if (options.bootstrap) await registerConsoleClient(store.db, config.issuer, config.console);
    const feed = await createChangeFeed(
      store,
      config.database.kind === 'postgres' ? config.database.url : undefined,
      config.database.kind === 'postgres' ? config.database.schema : undefined,
      { reconcileMs: config.reconcileMs },
    );
    const keys = new SigningKeys(store.db, box);
    await keys.init().catch((error) => {
      throw masterKeyMismatch(error, config);
    });
    keys.startReloading();
    const clients = new ClientDirectory(store.db, feed, config.lastUsedFlushMs);
    const people = new PersonDirectory(store.db, feed);
    const revocations = new TokenRevocations(store.db, feed);
    await revocations.load();
    // One instance of each shared service, built in dependency order (no setters afterwards):
    // every family reads and writes the same domain model.
    const tokens = new AccessTokens(keys, config.issuer, 'EdDSA', {
      minimumIat: (clientId, orgId) => revocations.minimumIat(clientId, orgId),
    });
    const organizations = new Organizations(store.db);
    const accessKeys = new AccessKeys(store.db, feed, clients, organizations);
    const authenticator = new Authenticator(tokens, clients, people, {
      // Every bearer request: revoked tokens are refused on every API (an in-memory lookup).
      bearerChecks: [(claims) => revocations.check(claims)],
      accessKeys,
    });
    const grants = new TokenGrants(tokens, revocations, {
      box,
      reuseGraceMs: config.refreshReuseGraceSeconds * 1000,
    });
    const outbound = new Outbound({ allow: config.upstreamAllow });
    const throttle = new LoginThrottle(store.db, store.dialect);
    const services: Services = {
      config,
      store,
      box,
      feed,
      keys,
      tokens,
      clients,
      authenticator,
      organizations,
      people,
      revocations,
      grants,
      idTokens: new IdTokens(keys, config.issuer, config.idTokenAlg),
      sessions: new LoginSessions(store.db),
      throttle,
      consents: new Consents(store.db),
      authorisations: createAuthorisationServices(store, organizations),
      oauthClients: new OAuthClients(store, organizations, clients),
      rateLimiter: createLimiter(config, componentLog(config.logLevel, 'rate-limit')),
      authorizations: new Authorizations(store.db, organizations, grants),
      connections: createConnectionServices(store.db, box, organizations, outbound),
      outbound,
      accessKeys,
      // A deleted person's or workspace's license units go back in the deleting transaction.
      peopleAdmin: new PeopleAdmin(store.db, organizations, people, grants, store.dialect, {
        onDelete: [releaseOnDelete('person')],
        throttle,
      }),
      locations: new Locations(store.db, organizations),
      workspaces: new Workspaces(store.db, organizations, { onDelete: [releaseOnDelete('workspace')] }),
      auditEvents: new AuditEvents(store.db, organizations),
      customerOrganizations: new CustomerOrganizations(store.db),
      licenses: new Licenses(store.db, organizations),
      userLicenses: new UserLicenseAssignments(store.db, organizations, store.dialect),
      workspaceLicenses: new WorkspaceLicenses(store.db, organizations, store.dialect),
      async close() {
        await clients.close();
        await services.rateLimiter.close?.();
        revocations.close();
        keys.stop();
        await outbound.close();
        await feed.close();
        await store.close();
      },
    };
    return { services, bootstrapped };
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
}
