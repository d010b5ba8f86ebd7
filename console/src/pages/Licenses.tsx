/** Licenses (Webex): inventory with usage bars; a license's holders (server-paged), assign and remove. */
import { useState, type FormEvent } from 'react';
import { api, nextLink } from '../api';
import { Link } from '../router';
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
  useOrg,
} from '../ui';

interface License {
  id: string;
  name: string;
  totalUnits: number;
  consumedUnits: number;
  consumedByUsers: number;
  consumedByWorkspaces: number;
}
interface Holder {
  id?: string;
  type: 'INTERNAL' | 'EXTERNAL';
  displayName?: string;
  email?: string;
}

function Usage({ l }: { l: License }) {
  return (
    <meter min={0} max={Math.max(1, l.totalUnits)} value={l.consumedUnits} aria-label={`${l.name} usage`} />
  );
}

export function Licenses() {
  const inOrg = useInOrg();
  const { data, error } = useLoad(() => api<{ items: License[] }>(inOrg('/v1/licenses')), []);
  return (
    <>
      <PageTitle>Licenses</PageTitle>
      <ErrorMessage error={error} />
      {data && data.data.items.length === 0 && <p>This organization has no licenses.</p>}
      {data && data.data.items.length > 0 && (
        <table>
          <caption className="sr-only">Licenses and their usage</caption>
          <thead>
            <tr>
              <th scope="col">License</th>
              <th scope="col">Used</th>
              <th scope="col">Usage</th>
            </tr>
          </thead>
          <tbody>
            {data.data.items.map((l) => (
              <tr key={l.id}>
                <td>
                  <Link to={`/licenses/${encodeURIComponent(l.id)}`}>{l.name}</Link>
                </td>
                <td>
                  {l.consumedUnits} of {l.totalUnits}
                </td>
                <td>
                  <Usage l={l} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** PATCH /v1/licenses/users for one person by email: all or nothing on the server. */
async function change(email: string, licenseId: string, operation: 'add' | 'remove', orgId?: string) {
  await api('/v1/licenses/users', {
    method: 'PATCH',
    body: { email, ...(orgId ? { orgId } : {}), licenses: [{ id: licenseId, operation }] },
  });
}

export function LicenseDetail({ id }: { id: string }) {
  const can = useCan();
  const inOrg = useInOrg();
  const { org } = useOrg();
  const orgId = org && !org.home ? org.id : undefined;
  const [pages, setPages] = useState<string[]>([]);
  const first = inOrg(`/v1/licenses/${encodeURIComponent(id)}?includeAssignedTo=user&max=50`);
  const url = pages[pages.length - 1] ?? first;
  const { data, error, reload } = useLoad(() => api<License & { users: Holder[] }>(url), [url]);
  const next = data ? nextLink(data.headers) : undefined;
  const [email, setEmail] = useState('');
  const [done, setDone] = useState<string>();
  const assign = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void assign.run(async () => {
      await change(email.trim(), id, 'add', orgId);
      setDone(`Assigned to ${email.trim()}.`);
      setEmail('');
      setPages([]);
      reload();
    });
  };
  const l = data?.data;
  return (
    <>
      <PageTitle>{l ? l.name : 'License'}</PageTitle>
      <ErrorMessage error={error} />
      {l && (
        <>
          <dl className="facts">
            <dt>Used</dt>
            <dd>
              {l.consumedUnits} of {l.totalUnits} <Usage l={l} />
            </dd>
            <dt>By people</dt>
            <dd>{l.consumedByUsers}</dd>
            <dt>By workspaces</dt>
            <dd>{l.consumedByWorkspaces}</dd>
          </dl>
          {done && <Notice>{done}</Notice>}
          {can('licenses.assign') && (
            <form onSubmit={submit} className="inline">
              <Field label="Assign to (email)" type="email" value={email} onChange={setEmail} required />
              <button type="submit" disabled={assign.busy}>
                Assign license
              </button>
            </form>
          )}
          <ErrorMessage error={assign.error} />
          <table>
            <caption className="sr-only">People holding this license</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                {can('licenses.assign') && <th scope="col">Remove</th>}
              </tr>
            </thead>
            <tbody>
              {l.users.map((u, i) => (
                <tr key={u.id ?? `${u.email}-${i}`}>
                  <td>
                    {u.id ? (
                      <Link to={`/people/${encodeURIComponent(u.id)}`}>{u.displayName ?? u.id}</Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{u.email ?? '—'}</td>
                  <td>
                    {u.type === 'EXTERNAL' ? 'external' : 'internal'}
                    {u.id ? '' : ', pending until accepted'}
                  </td>
                  {can('licenses.assign') && (
                    <td>
                      {u.email && (
                        <ConfirmButton
                          label="Remove"
                          question={`Remove ${l.name} from ${u.email}?`}
                          danger
                          onConfirm={async () => {
                            await change(u.email!, id, 'remove', orgId);
                            setDone(`Removed from ${u.email}.`);
                            setPages([]);
                            reload();
                          }}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
              {l.users.length === 0 && (
                <tr>
                  <td colSpan={4}>No one holds this license.</td>
                </tr>
              )}
            </tbody>
          </table>
          <Pager {...stackPaging(pages, setPages, next)} />
        </>
      )}
    </>
  );
}
