import { useEffect, useState, type ReactElement } from 'react';
import { api } from './api';
import { accessToken, completeSignIn, signIn, signOut } from './auth';
import { Link, match, Router, useRouter } from './router';
import { ErrorMessage, MeContext, OrgContext, type ManagedOrg, type Me } from './ui';
import { Overview } from './pages/Overview';
import { PeopleList, PersonCreate, PersonDetail } from './pages/People';
import { ApplicationCreate, ApplicationDetail, ApplicationsList } from './pages/Applications';
import { SigningKeys } from './pages/SigningKeys';
import { AuditLog } from './pages/AuditLog';
import { Organizations } from './pages/Organizations';
import { LicenseDetail, Licenses } from './pages/Licenses';
import { AuthorisationDetail, AuthorisationNew, Authorisations } from './pages/Authorisations';
import { ConnectionDetail, ConnectionNew, Connections } from './pages/Connections';

const NAV: { to: string; label: string; needs?: string }[] = [
  { to: '/', label: 'Overview' },
  { to: '/organizations', label: 'Organizations', needs: 'organizations.read' },
  { to: '/people', label: 'People', needs: 'people.read' },
  { to: '/applications', label: 'Applications', needs: 'oauthClients.read' },
  { to: '/licenses', label: 'Licenses', needs: 'licenses.read' },
  { to: '/authorisations', label: 'Authorisations', needs: 'authorisations.read' },
  { to: '/connections', label: 'Connections', needs: 'connections.read' },
  { to: '/keys', label: 'Signing keys', needs: 'signingKeys.read' },
  { to: '/audit', label: 'Audit log', needs: 'audit.read' },
];

const ROUTES: [string, (p: Record<string, string>) => ReactElement][] = [
  ['/', () => <Overview />],
  ['/people', () => <PeopleList />],
  ['/people/new', () => <PersonCreate />],
  ['/people/:id', (p) => <PersonDetail id={p.id} />],
  ['/applications', () => <ApplicationsList />],
  ['/applications/new', () => <ApplicationCreate />],
  ['/applications/:id', (p) => <ApplicationDetail id={p.id} />],
  ['/keys', () => <SigningKeys />],
  ['/audit', () => <AuditLog />],
  ['/licenses', () => <Licenses />],
  ['/licenses/:id', (p) => <LicenseDetail id={p.id} />],
  ['/organizations', () => <Organizations />],
  ['/authorisations', () => <Authorisations />],
  ['/authorisations/new', () => <AuthorisationNew />],
  ['/authorisations/:id', (p) => <AuthorisationDetail id={p.id} />],
  ['/connections', () => <Connections />],
  ['/connections/new', () => <ConnectionNew />],
  ['/connections/:id', (p) => <ConnectionDetail id={p.id} />],
];

const MANAGED = 'keyward-console:org';

function Shell({ me }: { me: Me }) {
  const { path } = useRouter();
  // The managed org survives a reload of this tab (it is no credential; the server checks every call).
  const [org, setOrg] = useState<ManagedOrg | undefined>(() => {
    const saved = JSON.parse(sessionStorage.getItem(MANAGED) ?? 'null') as ManagedOrg | null;
    return saved && !saved.home ? saved : undefined;
  });
  const switchTo = (o: ManagedOrg) => {
    sessionStorage.setItem(MANAGED, JSON.stringify(o));
    setOrg(o.home ? undefined : o);
  };
  const [pathname] = path.split('?');
  let page: ReactElement | undefined;
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      page = render(params);
      break;
    }
  }
  const section = (to: string) =>
    to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
  return (
    <MeContext.Provider value={me}>
      <OrgContext.Provider value={{ org, switchTo }}>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="top">
          <span className="brand">Keyward</span>
          <span className="who">
            Signed in as {me.displayName ?? me.email ?? me.personId} ({me.roles.join(', ') || 'no admin role'}
            )
          </span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </header>
        {org && (
          <p className="managing" role="status">
            Managing <strong>{org.name}</strong> (<code>{org.code}</code>){' '}
            <button type="button" onClick={() => switchTo({ id: me.orgId, name: '', code: '', home: true })}>
              Back to my organization
            </button>
          </p>
        )}
        <div className="layout">
          <nav aria-label="Console sections">
            <ul>
              {NAV.filter((n) => !n.needs || me.operations.includes(n.needs)).map((n) => (
                <li key={n.to}>
                  <Link to={n.to} aria-current={section(n.to) ? 'page' : undefined}>
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <main id="main" key={org?.id ?? 'home'}>
            {page ?? <h1>Page not found</h1>}
          </main>
        </div>
      </OrgContext.Provider>
    </MeContext.Provider>
  );
}

type State =
  { kind: 'loading' } | { kind: 'signedOut' } | { kind: 'error'; error: unknown } | { kind: 'ready'; me: Me };

async function loadMe(): Promise<Me> {
  const { data } = await api<Me>('/admin/v1/me');
  const person = data.personId
    ? await api<any>('/v1/people/me')
        .then((r) => r.data)
        .catch(() => undefined)
    : undefined;
  return { ...data, email: person?.emails?.[0], displayName: person?.displayName };
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    const path = window.location.pathname;
    if (path.startsWith('/console/signed-out')) return setState({ kind: 'signedOut' });
    (async () => {
      if (path.startsWith('/console/callback')) {
        const back = await completeSignIn();
        window.history.replaceState(null, '', back);
      }
      if (!accessToken()) return signIn();
      setState({ kind: 'ready', me: await loadMe() });
    })().catch((error) => setState({ kind: 'error', error }));
  }, []);
  if (state.kind === 'ready')
    return (
      <Router>
        <Shell me={state.me} />
      </Router>
    );
  return (
    <main id="main" className="center">
      <h1>Keyward console</h1>
      {state.kind === 'loading' && <p role="status">Signing in…</p>}
      {state.kind === 'signedOut' && <p role="status">You are signed out.</p>}
      {state.kind === 'error' && <ErrorMessage error={state.error} />}
      {state.kind !== 'loading' && (
        <button type="button" onClick={() => void signIn('/console/')}>
          Sign in
        </button>
      )}
    </main>
  );
}
