/** Connections (Authress): upstream OIDC identity providers; create/edit, delete, test sign-in, credentials. */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { testSignIn } from '../auth';
import { Link, useRouter } from '../router';
import {
  ConfirmButton,
  ErrorMessage,
  Field,
  Notice,
  Pager,
  PageTitle,
  stackPaging,
  useAction,
  useCan,
  useInOrg,
  useLoad,
  when,
} from '../ui';

interface Connection {
  connectionId: string;
  type: string;
  authenticationUrl: string;
  tokenUrl: string | null;
  issuerUrl: string | null;
  clientId: string | null;
  data: { name?: string };
  defaultConnectionProperties: { scope: string };
  createdTime: string;
  lastUpdated: string;
}

const path = (id?: string) => `/v1/connections${id ? `/${encodeURIComponent(id)}` : ''}`;

export function Connections() {
  const can = useCan();
  const inOrg = useInOrg();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const url = inOrg(`/v1/connections?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  const { data, error } = useLoad(
    () => api<{ connections: Connection[]; pagination?: { next?: { cursor?: string } } }>(url),
    [url],
  );
  const next = data?.data.pagination?.next?.cursor;
  return (
    <>
      <PageTitle>Connections</PageTitle>
      {can('connections.write') && (
        <p>
          <Link to="/connections/new" className="button">
            Add an OIDC connection
          </Link>
        </p>
      )}
      <ErrorMessage error={error} />
      {data && data.data.connections.length === 0 && <p>No SSO connections yet.</p>}
      {data && data.data.connections.length > 0 && (
        <table>
          <caption className="sr-only">Connections</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Issuer</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {data.data.connections.map((c) => (
              <tr key={c.connectionId}>
                <td>
                  <Link to={`/connections/${encodeURIComponent(c.connectionId)}`}>
                    {c.data.name ?? c.connectionId}
                  </Link>
                </td>
                <td>{c.type}</td>
                <td>{c.issuerUrl ?? c.authenticationUrl}</td>
                <td>{when(c.createdTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager {...stackPaging(cursors, setCursors, next)} />
    </>
  );
}

function ConnectionForm({ initial, onSaved }: { initial?: Connection; onSaved: (c: Connection) => void }) {
  const inOrg = useInOrg();
  const [name, setName] = useState(initial?.data.name ?? '');
  const [issuerUrl, setIssuerUrl] = useState(initial?.issuerUrl ?? '');
  const [authenticationUrl, setAuthUrl] = useState(initial?.authenticationUrl ?? '');
  const [tokenUrl, setTokenUrl] = useState(initial?.tokenUrl ?? '');
  const [clientId, setClientId] = useState(initial?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [scope, setScope] = useState(initial?.defaultConnectionProperties.scope ?? 'openid profile email');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body: Record<string, unknown> = {
        type: 'OAUTH2',
        issuerUrl: issuerUrl.trim() || null,
        authenticationUrl: authenticationUrl.trim(),
        tokenUrl: tokenUrl.trim(),
        clientId: clientId.trim(),
        data: { name: name.trim() || null },
        defaultConnectionProperties: { scope: scope.trim() },
      };
      // The secret is write-only: an empty field on edit keeps the stored one.
      if (clientSecret) body.clientSecret = clientSecret;
      const { data } = await api<Connection>(inOrg(path(initial?.connectionId)), {
        method: initial ? 'PUT' : 'POST',
        body,
      });
      setClientSecret('');
      onSaved(data);
    });
  };
  return (
    <form onSubmit={submit}>
      <Field label="Name" value={name} onChange={setName} required hint="shown on the sign-in page button" />
      <Field
        label="Issuer URL"
        type="url"
        value={issuerUrl}
        onChange={setIssuerUrl}
        hint="OIDC: ID tokens are checked against its discovery document"
      />
      <Field label="Authorization URL" type="url" value={authenticationUrl} onChange={setAuthUrl} required />
      <Field label="Token URL" type="url" value={tokenUrl} onChange={setTokenUrl} required />
      <Field label="Client ID" value={clientId} onChange={setClientId} required />
      <Field
        label="Client secret"
        type="password"
        value={clientSecret}
        onChange={setClientSecret}
        hint={
          initial
            ? 'leave empty to keep the stored secret (never shown)'
            : 'stored encrypted, never shown again'
        }
      />
      <Field label="Scope" value={scope} onChange={setScope} />
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>
        {initial ? 'Save connection' : 'Create connection'}
      </button>
    </form>
  );
}

export function ConnectionNew() {
  const { navigate } = useRouter();
  return (
    <>
      <PageTitle>Add an OIDC connection</PageTitle>
      <ConnectionForm
        onSaved={(c) => navigate(`/connections/${encodeURIComponent(c.connectionId)}?created=1`)}
      />
    </>
  );
}

function Credentials({ connectionId }: { connectionId: string }) {
  const inOrg = useInOrg();
  const [person, setPerson] = useState('');
  const [token, setToken] = useState<string>();
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setToken(undefined);
    void run(async () => {
      const { data } = await api<{ accessToken: string }>(
        inOrg(`${path(connectionId)}/users/${encodeURIComponent(person.trim())}/credentials`),
      );
      setToken(data.accessToken);
    });
  };
  return (
    <section aria-labelledby="cred-h">
      <h2 id="cred-h">A person’s upstream credentials</h2>
      <form onSubmit={submit} className="inline">
        <Field label="Person id" value={person} onChange={setPerson} required />
        <button type="submit" disabled={busy}>
          Show access token
        </button>
      </form>
      <ErrorMessage error={error} />
      {token && (
        <p className="secret">
          Current upstream access token (refreshed if it had expired): <code>{token}</code>
        </p>
      )}
    </section>
  );
}

export function ConnectionDetail({ id }: { id: string }) {
  const can = useCan();
  const inOrg = useInOrg();
  const { path: here, navigate } = useRouter();
  const { data, error } = useLoad(() => api<Connection>(inOrg(path(id))), [id]);
  const [saved, setSaved] = useState<Connection>();
  const c = saved ?? data?.data;
  return (
    <>
      <PageTitle>{c ? (c.data.name ?? c.connectionId) : 'Connection'}</PageTitle>
      {here.includes('created=1') && !saved && <Notice>The connection was created.</Notice>}
      {saved && <Notice>Saved.</Notice>}
      <ErrorMessage error={error} />
      {c && (
        <>
          <dl className="facts">
            <dt>Id</dt>
            <dd>
              <code>{c.connectionId}</code>
            </dd>
            <dt>Type</dt>
            <dd>{c.type}</dd>
            <dt>Updated</dt>
            <dd>{when(c.lastUpdated)}</dd>
          </dl>
          <p>
            <button type="button" onClick={() => void testSignIn(c.connectionId)}>
              Test sign-in
            </button>{' '}
            <small className="hint">
              opens a new tab signing in through this provider (it replaces this browser’s Keyward session)
            </small>
          </p>
          {can('connections.write') && (
            <section aria-labelledby="edit-h">
              <h2 id="edit-h">Edit</h2>
              <ConnectionForm key={c.lastUpdated} initial={c} onSaved={setSaved} />
              <p>
                <ConfirmButton
                  label="Delete connection"
                  question={`Delete the connection ${c.data.name ?? c.connectionId}? People can no longer sign in through it.`}
                  confirmLabel="Delete"
                  danger
                  onConfirm={async () => {
                    await api(inOrg(path(c.connectionId)), { method: 'DELETE' });
                    navigate('/connections');
                  }}
                />
              </p>
            </section>
          )}
          {can('connections.credentials') && <Credentials connectionId={c.connectionId} />}
        </>
      )}
    </>
  );
}
