/** Read-only pages for now: licenses, organizations, authorisations, connections (server-paged lists). */
import { useState, type FormEvent } from 'react';
import { api, nextLink } from '../api';
import { ErrorMessage, Field, PageTitle, useLoad, when } from '../ui';

export function Licenses() {
  const { data, error } = useLoad(
    () =>
      api<{ items: { id: string; name: string; totalUnits: number; consumedUnits: number }[] }>(
        '/v1/licenses',
      ),
    [],
  );
  return (
    <>
      <PageTitle>Licenses</PageTitle>
      <ErrorMessage error={error} />
      {data && data.data.items.length === 0 && <p>This organization has no licenses.</p>}
      {data && data.data.items.length > 0 && (
        <table>
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
                <td>{l.name}</td>
                <td>
                  {l.consumedUnits} of {l.totalUnits}
                </td>
                <td>
                  <meter
                    min={0}
                    max={Math.max(1, l.totalUnits)}
                    value={l.consumedUnits}
                    aria-label={`${l.name} usage`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function Organizations() {
  const [pages, setPages] = useState<string[]>([]);
  const url = pages[pages.length - 1] ?? '/v1/organizations?max=50';
  const { data, error } = useLoad(
    () =>
      api<{ items: { id: string; displayName: string; code: string; parentId?: string; created: string }[] }>(
        url,
      ),
    [url],
  );
  const next = data ? nextLink(data.headers) : undefined;
  return (
    <>
      <PageTitle>Organizations</PageTitle>
      <ErrorMessage error={error} />
      {data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Partner</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {data.data.items.map((o) => (
              <tr key={o.id}>
                <td>{o.displayName}</td>
                <td>
                  <code>{o.code}</code>
                </td>
                <td>{o.parentId ? <code>{o.parentId}</code> : '—'}</td>
                <td>{when(o.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button type="button" disabled={pages.length === 0} onClick={() => setPages(pages.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!next} onClick={() => next && setPages([...pages, next])}>
          Next page
        </button>
      </div>
    </>
  );
}

interface Authorisation {
  id: string;
  type: string;
  active: boolean;
  revoked: boolean;
  validFrom: string;
  effectiveValidTo?: string;
  subject?: { type: string; value: string };
  object?: { type: string; value: string };
}

export function Authorisations() {
  const PAGE = 25;
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [start, setStart] = useState(1);
  const q = new URLSearchParams({ startIndex: String(start), count: String(PAGE) });
  if (applied) q.set('filter', applied);
  const url = `/api/rest/v1/authorisation?${q}`;
  const { data, error } = useLoad(
    () => api<{ totalResults: number; resources: Authorisation[] }>(url),
    [url],
  );
  const total = data?.data.totalResults ?? 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(filter.trim());
    setStart(1);
  };
  return (
    <>
      <PageTitle>Authorisations</PageTitle>
      <form role="search" onSubmit={submit} className="inline">
        <Field
          label="SCIM filter"
          value={filter}
          onChange={setFilter}
          hint='e.g. type eq "door" and active eq true'
        />
        <button type="submit">Filter</button>
      </form>
      <ErrorMessage error={error} />
      {data && (
        <>
          <p>{total} authorisations</p>
          <table>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Subject</th>
                <th scope="col">Object</th>
                <th scope="col">Valid</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {data.data.resources.map((a) => (
                <tr key={a.id}>
                  <td>{a.type}</td>
                  <td>{a.subject ? `${a.subject.type}: ${a.subject.value}` : '—'}</td>
                  <td>{a.object ? `${a.object.type}: ${a.object.value}` : '—'}</td>
                  <td>
                    {when(a.validFrom)} – {when(a.effectiveValidTo)}
                  </td>
                  <td>{a.active ? 'yes' : a.revoked ? 'revoked' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="pager">
        <button type="button" disabled={start <= 1} onClick={() => setStart(Math.max(1, start - PAGE))}>
          Previous page
        </button>
        <button type="button" disabled={start + PAGE > total} onClick={() => setStart(start + PAGE)}>
          Next page
        </button>
      </div>
    </>
  );
}

interface Connection {
  connectionId: string;
  type: string;
  issuerUrl: string | null;
  authenticationUrl: string;
  data: { name?: string };
  createdTime: string;
}

export function Connections() {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const url = `/v1/connections?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const { data, error } = useLoad(
    () => api<{ connections: Connection[]; pagination?: { next?: { cursor?: string } } }>(url),
    [url],
  );
  const next = data?.data.pagination?.next?.cursor;
  return (
    <>
      <PageTitle>Connections</PageTitle>
      <ErrorMessage error={error} />
      {data && data.data.connections.length === 0 && <p>No SSO connections yet.</p>}
      {data && data.data.connections.length > 0 && (
        <table>
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
                <td>{c.data.name ?? c.connectionId}</td>
                <td>{c.type}</td>
                <td>{c.issuerUrl ?? c.authenticationUrl}</td>
                <td>{when(c.createdTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Previous page
        </button>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>
          Next page
        </button>
      </div>
    </>
  );
}
