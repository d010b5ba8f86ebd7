import { useState, type FormEvent } from 'react';
import { AccessKeys } from './AccessKeys';
import { api } from '../api';
import { Link, useRouter } from '../router';
import { ConfirmButton, ErrorMessage, Field, Notice, Pager, PageTitle, useCan, useLoad, when } from '../ui';

const PAGE = 25;

interface Client {
  id: string;
  name: string;
  description: string | null;
  type: 'CONFIDENTIAL' | 'PUBLIC';
  accessType: string;
  grantTypes: string[];
  redirectUris: string[];
  scope: string[];
  roles: string[];
  enabled: boolean;
  internal: boolean;
  created: string;
  lastUsed: string | null;
  secret?: string | null;
}

/** SailPoint filter string literal. */
const quoted = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function ApplicationsList() {
  const can = useCan();
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [offset, setOffset] = useState(0);
  const q = new URLSearchParams({
    limit: String(PAGE),
    offset: String(offset),
    count: 'true',
    sorters: 'name',
  });
  if (applied) q.set('filters', `name sw ${quoted(applied)}`);
  const url = `/v3/oauth-clients?${q}`;
  const { data, error, loading } = useLoad(() => api<Client[]>(url), [url]);
  const total = Number(data?.headers.get('x-total-count') ?? 0);
  return (
    <>
      <PageTitle>Applications</PageTitle>
      {can('oauthClients.manage') && (
        <p>
          <Link to="/applications/new" className="button">
            Create an application
          </Link>
        </p>
      )}
      <form
        role="search"
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(query.trim());
          setOffset(0);
        }}
      >
        <Field label="Name starts with" value={query} onChange={setQuery} />
        <button type="submit">Search</button>
      </form>
      <ErrorMessage error={error} />
      {loading && <p role="status">Loading…</p>}
      {data && (
        <>
          <p>
            {total} application{total === 1 ? '' : 's'}
            {total > 0 && `, showing ${offset + 1}–${offset + data.data.length}`}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Kind</th>
                <th scope="col">Enabled</th>
                <th scope="col">Last used</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/applications/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                  </td>
                  <td>
                    <code>{c.id}</code>
                  </td>
                  <td>{kindOf(c)}</td>
                  <td>{c.enabled ? 'yes' : 'no'}</td>
                  <td>{when(c.lastUsed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <Pager
        previous={offset > 0 ? () => setOffset(Math.max(0, offset - PAGE)) : undefined}
        next={offset + PAGE < total ? () => setOffset(offset + PAGE) : undefined}
      />
    </>
  );
}

function kindOf(c: Client): string {
  if (c.grantTypes.includes('CLIENT_CREDENTIALS')) return 'Machine to machine';
  if (c.type === 'PUBLIC') return 'Public (SPA / native)';
  return 'Web application';
}

type Kind = 'm2m' | 'web' | 'spa' | 'native';
const KINDS: { kind: Kind; label: string; help: string }[] = [
  {
    kind: 'm2m',
    label: 'Machine to machine',
    help: 'A service calling the management APIs with its own secret (client credentials).',
  },
  {
    kind: 'web',
    label: 'Web application',
    help: 'A server-side app signing people in; keeps a secret (code flow).',
  },
  {
    kind: 'spa',
    label: 'Single-page app',
    help: 'Runs in the browser, no secret: code flow with PKCE; https redirect URIs.',
  },
  {
    kind: 'native',
    label: 'Native or mobile app',
    help: 'No secret: PKCE; loopback or custom-scheme redirect URIs.',
  },
];

/** What each kind of application is, in grant types and rules (the server validates again). */
function settingsFor(kind: Kind, name: string, description: string, redirects: string[], roles: string[]) {
  const common = { name, description: description || null, accessTokenValiditySeconds: 3600, enabled: true };
  if (kind === 'm2m')
    return {
      ...common,
      type: 'CONFIDENTIAL',
      accessType: 'ONLINE',
      grantTypes: ['CLIENT_CREDENTIALS'],
      redirectUris: [],
      roles,
    };
  return {
    ...common,
    type: kind === 'web' ? 'CONFIDENTIAL' : 'PUBLIC',
    accessType: 'OFFLINE',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    redirectUris: redirects,
    scope: ['openid', 'profile', 'email'],
    roles: [],
  };
}

function redirectProblem(kind: Kind, uris: string[]): string | undefined {
  if (kind === 'm2m') return undefined;
  if (uris.length === 0) return 'Give at least one redirect URI.';
  for (const u of uris) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      return `${u} is not an absolute URL.`;
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (kind !== 'native' && url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
      return `${u}: use https (http only for localhost).`;
  }
  return undefined;
}

/** Shows a new secret once, with a copy button. */
export function SecretOnce({ clientId, secret }: { clientId: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <section aria-labelledby="secret-h" className="secret">
      <h2 id="secret-h">Client secret</h2>
      <p>Copy it now: Keyward stores only a hash and will never show it again.</p>
      <p>
        Client ID <code>{clientId}</code>
      </p>
      <p>
        <output aria-label="Client secret" className="mono" data-testid="client-secret">
          {secret}
        </output>
      </p>
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard?.writeText(secret).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        Copy secret
      </button>
      {copied && <Notice>Copied to the clipboard.</Notice>}
    </section>
  );
}

export function ApplicationCreate() {
  const [step, setStep] = useState(1);
  const [kind, setKind] = useState<Kind>('m2m');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [redirects, setRedirects] = useState('');
  const [role, setRole] = useState('');
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<Client>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const uris = redirects.split(/\s+/).filter(Boolean);
    const problem = redirectProblem(kind, uris);
    if (problem) return setError(new Error(problem));
    try {
      const { data } = await api<Client>('/v3/oauth-clients', {
        method: 'POST',
        body: settingsFor(kind, name.trim(), description.trim(), uris, role ? [role] : []),
      });
      setCreated(data);
    } catch (err) {
      setError(err);
    }
  };
  if (created)
    return (
      <>
        <PageTitle>Application created</PageTitle>
        <Notice>{created.name} was created.</Notice>
        {created.secret ? (
          <SecretOnce clientId={created.id} secret={created.secret} />
        ) : (
          <p>
            Client ID <code>{created.id}</code> (a public client: it has no secret; use PKCE).
          </p>
        )}
        <p>
          <Link to={`/applications/${encodeURIComponent(created.id)}`}>Open {created.name}</Link>
        </p>
      </>
    );
  return (
    <>
      <PageTitle>Create an application</PageTitle>
      {step === 1 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setStep(2);
          }}
        >
          <fieldset>
            <legend>Step 1 of 2: what kind of application?</legend>
            {KINDS.map((k) => (
              <label key={k.kind} className="choice">
                <input
                  type="radio"
                  name="kind"
                  value={k.kind}
                  checked={kind === k.kind}
                  onChange={() => setKind(k.kind)}
                />
                <strong>{k.label}</strong> <span>{k.help}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit">Next</button>
        </form>
      )}
      {step === 2 && (
        <form onSubmit={(e) => void submit(e)}>
          <fieldset>
            <legend>Step 2 of 2: {KINDS.find((k) => k.kind === kind)!.label}</legend>
            <Field label="Name" value={name} onChange={setName} required />
            <Field label="Description" value={description} onChange={setDescription} />
            {kind !== 'm2m' && (
              <div className="field">
                <label htmlFor="redirects">Redirect URIs (one per line)</label>
                <textarea
                  id="redirects"
                  rows={3}
                  value={redirects}
                  onChange={(e) => setRedirects(e.target.value)}
                />
              </div>
            )}
            {kind === 'm2m' && (
              <div className="field">
                <label htmlFor="role">Admin role of its tokens</label>
                <select id="role" value={role} onChange={(e) => setRole(e.target.value)}>
                  <option value="">none</option>
                  <option value="read_only_admin">read_only_admin</option>
                  <option value="user_admin">user_admin</option>
                  <option value="device_admin">device_admin</option>
                  <option value="full_admin">full_admin</option>
                </select>
              </div>
            )}
          </fieldset>
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" onClick={() => setStep(1)}>
              Back
            </button>
            <button type="submit">Create application</button>
          </div>
        </form>
      )}
    </>
  );
}

export function ApplicationDetail({ id }: { id: string }) {
  const can = useCan();
  const { navigate } = useRouter();
  const path = `/v3/oauth-clients/${encodeURIComponent(id)}`;
  const { data, error, reload } = useLoad(() => api<Client>(path), [id]);
  const [secret, setSecret] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();
  const c = data?.data;
  const manage = can('oauthClients.manage') && c && c.id !== 'keyward-console';
  const setEnabled = async (enabled: boolean) => {
    setActionError(undefined);
    try {
      await api(path, {
        method: 'PATCH',
        contentType: 'application/json-patch+json',
        body: [{ op: 'replace', path: '/enabled', value: enabled }],
      });
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  return (
    <>
      <PageTitle>{c ? c.name : 'Application'}</PageTitle>
      <p>
        <Link to="/applications">Back to applications</Link>
      </p>
      <ErrorMessage error={error} />
      <ErrorMessage error={actionError} />
      {secret && c && <SecretOnce clientId={c.id} secret={secret} />}
      {c && (
        <>
          <dl className="facts">
            <dt>Client ID</dt>
            <dd>
              <code>{c.id}</code>
            </dd>
            <dt>Kind</dt>
            <dd>{kindOf(c)}</dd>
            <dt>Grant types</dt>
            <dd>{c.grantTypes.join(', ')}</dd>
            <dt>Redirect URIs</dt>
            <dd>{c.redirectUris.join(' ') || '—'}</dd>
            <dt>Scopes</dt>
            <dd>{c.scope.join(' ') || '—'}</dd>
            <dt>Roles of its own tokens</dt>
            <dd>{c.roles.join(', ') || '—'}</dd>
            <dt>Enabled</dt>
            <dd>{c.enabled ? 'yes' : 'no'}</dd>
            <dt>Created</dt>
            <dd>{when(c.created)}</dd>
            <dt>Last used</dt>
            <dd>{when(c.lastUsed)}</dd>
          </dl>
          {c.id === 'keyward-console' && <p>This is the console itself; Keyward manages it.</p>}
          {c.grantTypes.includes('CLIENT_CREDENTIALS') && can('accessKeys.read') && (
            <AccessKeys clientId={c.id} />
          )}
          {manage && (
            <div className="actions">
              <button type="button" onClick={() => void setEnabled(!c.enabled)}>
                {c.enabled ? 'Disable' : 'Enable'}
              </button>
              {c.type === 'CONFIDENTIAL' && (
                <ConfirmButton
                  label="Rotate secret"
                  question={`Rotate the secret of ${c.name}? The current secret stops working at once.`}
                  onConfirm={async () => {
                    const { data: rotated } = await api<Client>(`${path}/secret`, { method: 'POST' });
                    setSecret(rotated.secret ?? undefined);
                  }}
                />
              )}
              <ConfirmButton
                label="Delete application"
                danger
                question={`Delete ${c.name}? Its tokens and grants stop working; this cannot be undone.`}
                onConfirm={async () => {
                  await api(path, { method: 'DELETE' });
                  navigate('/applications');
                }}
              />
            </div>
          )}
        </>
      )}
    </>
  );
}
