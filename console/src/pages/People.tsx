import { useState, type FormEvent } from 'react';
import { PersonLicenses, PersonSessions } from './PersonExtras';
import { api, nextLink } from '../api';
import { Link, useRouter } from '../router';
import {
  ConfirmButton,
  ErrorMessage,
  Field,
  Notice,
  Pager,
  PageTitle,
  stackPaging,
  useCan,
  useInOrg,
  useLoad,
  useOrg,
  when,
} from '../ui';

const PAGE = 25;
const ROLES = ['full_admin', 'user_admin', 'device_admin', 'read_only_admin'];

interface Person {
  id: string;
  emails: string[];
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  roles: string[];
  status: string;
  created: string;
  lastModified: string;
}

/** People: search (email exact, else display-name prefix), paged on the server (Webex Link). */
export function PeopleList() {
  const can = useCan();
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [pages, setPages] = useState<string[]>([]); // stack of page URLs, last = current
  const inOrg = useInOrg();
  const first = () => {
    const q = new URLSearchParams({ max: String(PAGE) });
    if (applied) q.set(applied.includes('@') ? 'email' : 'displayName', applied);
    return inOrg(`/v1/people?${q}`);
  };
  const url = pages[pages.length - 1] ?? first();
  const { data, error, loading } = useLoad(() => api<{ items: Person[] }>(url), [url]);
  const next = data ? nextLink(data.headers) : undefined;
  const search = (e: FormEvent) => {
    e.preventDefault();
    setApplied(query.trim());
    setPages([]);
  };
  return (
    <>
      <PageTitle>People</PageTitle>
      {can('people.write') && (
        <p>
          <Link to="/people/new" className="button">
            Add a person
          </Link>
        </p>
      )}
      <form role="search" onSubmit={search} className="inline">
        <Field label="Search by email or name" value={query} onChange={setQuery} name="q" />
        <button type="submit">Search</button>
      </form>
      <ErrorMessage error={error} />
      {loading && <p role="status">Loading…</p>}
      {data && (
        <table>
          <caption className="sr-only">People</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {data.data.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/people/${encodeURIComponent(p.id)}`}>{p.displayName || '(no name)'}</Link>
                </td>
                <td>{p.emails[0]}</td>
                <td>{p.roles.join(', ') || '—'}</td>
                <td>{p.status}</td>
              </tr>
            ))}
            {data.data.items.length === 0 && (
              <tr>
                <td colSpan={4}>No one matches.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <Pager {...stackPaging(pages, setPages, next)} />
    </>
  );
}

function PersonForm(props: { initial?: Person; onSaved: (p: Person) => void }) {
  const can = useCan();
  const init = props.initial;
  const [email, setEmail] = useState(init?.emails[0] ?? '');
  const [displayName, setDisplayName] = useState(init?.displayName ?? '');
  const [firstName, setFirstName] = useState(init?.firstName ?? '');
  const [lastName, setLastName] = useState(init?.lastName ?? '');
  const [roles, setRoles] = useState<string[]>(init?.roles ?? []);
  const [active, setActive] = useState((init?.status ?? 'active') === 'active');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const mayRoles = can('people.assignRoles');
  const { org } = useOrg();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = {
        emails: [email.trim()],
        displayName: displayName.trim() || null,
        firstName: firstName.trim() || null,
        lastName: lastName.trim() || null,
        status: active ? 'active' : 'inactive',
      };
      if (mayRoles) body.roles = roles;
      if (!init && org && !org.home) body.orgId = org.id;
      const { data } = init
        ? await api<Person>(`/v1/people/${encodeURIComponent(init.id)}`, { method: 'PUT', body })
        : await api<Person>('/v1/people', { method: 'POST', body });
      props.onSaved(data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={init ? 'Edit person' : 'New person'}>
      <Field label="Email" type="email" value={email} onChange={setEmail} required />
      <Field label="Display name" value={displayName} onChange={setDisplayName} />
      <Field label="First name" value={firstName} onChange={setFirstName} />
      <Field label="Last name" value={lastName} onChange={setLastName} />
      {mayRoles && (
        <fieldset>
          <legend>Admin roles</legend>
          {ROLES.map((r) => (
            <label key={r} className="check">
              <input
                type="checkbox"
                checked={roles.includes(r)}
                onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
              />
              {r}
            </label>
          ))}
        </fieldset>
      )}
      <label className="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        Enabled (may sign in)
      </label>
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>
        {init ? 'Save changes' : 'Create person'}
      </button>
    </form>
  );
}

export function PersonCreate() {
  const { navigate } = useRouter();
  return (
    <>
      <PageTitle>Add a person</PageTitle>
      <PersonForm onSaved={(p) => navigate(`/people/${encodeURIComponent(p.id)}?created=1`)} />
    </>
  );
}

interface Grant {
  id: string;
  applicationName: string | null;
  clientId: string;
  created: string;
  type: string;
}

function Grants({ personId }: { personId: string }) {
  const can = useCan();
  const { data, error, reload } = useLoad(
    () => api<{ items: Grant[] }>(`/v1/authorizations?personId=${encodeURIComponent(personId)}`),
    [personId],
  );
  if (!can('authorizations.read')) return null;
  return (
    <section aria-labelledby="grants-h">
      <h2 id="grants-h">Application grants</h2>
      <ErrorMessage error={error} />
      {data && data.data.items.length === 0 && <p>No application holds a grant of this person.</p>}
      {data && data.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Application</th>
              <th scope="col">Type</th>
              <th scope="col">Granted</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.data.items.map((g) => (
              <tr key={g.id} data-grant-id={g.id}>
                <td>{g.applicationName ?? g.clientId}</td>
                <td>{g.type}</td>
                <td>{when(g.created)}</td>
                <td>
                  {can('authorizations.delete') && (
                    <ConfirmButton
                      label="Revoke"
                      danger
                      question={`Revoke this ${g.type} grant of ${g.applicationName ?? g.clientId}? Its tokens stop working at once.`}
                      onConfirm={async () => {
                        await api(`/v1/authorizations/${encodeURIComponent(g.id)}`, { method: 'DELETE' });
                        reload();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PasswordReset({ personId }: { personId: string }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      await api(`/v1/people/${encodeURIComponent(personId)}/password`, { method: 'PUT', body: { password } });
      setPassword('');
      setDone(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="pw-h">
      <h2 id="pw-h">Set a new password</h2>
      <form onSubmit={(e) => void submit(e)} className="inline">
        <Field label="New password" type="password" value={password} onChange={setPassword} required />
        <button type="submit">Set password</button>
      </form>
      <ErrorMessage error={error} />
      {done && <Notice>The password was changed.</Notice>}
    </section>
  );
}

export function PersonDetail({ id }: { id: string }) {
  const can = useCan();
  const { navigate, path } = useRouter();
  const [saved, setSaved] = useState(path.includes('created=1') ? 'The person was created.' : '');
  const { data, error, reload } = useLoad(() => api<Person>(`/v1/people/${encodeURIComponent(id)}`), [id]);
  const person = data?.data;
  return (
    <>
      <PageTitle>{person ? person.displayName || person.emails[0] : 'Person'}</PageTitle>
      <p>
        <Link to="/people">Back to people</Link>
      </p>
      <ErrorMessage error={error} />
      {saved && <Notice>{saved}</Notice>}
      {person && (
        <>
          <dl className="facts">
            <dt>ID</dt>
            <dd>
              <code>{person.id}</code>
            </dd>
            <dt>Created</dt>
            <dd>{when(person.created)}</dd>
            <dt>Last modified</dt>
            <dd>{when(person.lastModified)}</dd>
          </dl>
          {can('people.write') ? (
            <section aria-labelledby="edit-h">
              <h2 id="edit-h">Details</h2>
              <PersonForm
                key={person.lastModified}
                initial={person}
                onSaved={() => {
                  setSaved('Saved.');
                  reload();
                }}
              />
            </section>
          ) : (
            <p>
              {person.emails[0]} · {person.roles.join(', ') || 'no admin role'} · {person.status}
            </p>
          )}
          {can('people.setPassword') && <PasswordReset personId={person.id} />}
          {can('licenses.read') && <PersonLicenses personId={person.id} />}
          <Grants personId={person.id} />
          {can('people.read') && <PersonSessions personId={person.id} />}
          {can('people.delete') && (
            <section aria-labelledby="danger-h">
              <h2 id="danger-h">Delete</h2>
              <ConfirmButton
                label="Delete person"
                danger
                question={`Delete ${person.emails[0]}? Their grants and sessions end; this cannot be undone.`}
                onConfirm={async () => {
                  await api(`/v1/people/${encodeURIComponent(person.id)}`, { method: 'DELETE' });
                  navigate('/people');
                }}
              />
            </section>
          )}
        </>
      )}
    </>
  );
}
