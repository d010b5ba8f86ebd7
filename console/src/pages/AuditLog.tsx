import { useState, type FormEvent } from 'react';
import { api, nextLink } from '../api';
import { ErrorMessage, Field, Pager, PageTitle, stackPaging, useInOrg, useLoad, when } from '../ui';

interface Event {
  id: string;
  actorId: string;
  action: string;
  target: string;
  created: string;
  data: Record<string, unknown>;
}

/** The admin audit log, newest first, paged on the server; time window from the server, actor/action filtered on the page shown. */
export function AuditLog() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState({ from: '', to: '' });
  const [pages, setPages] = useState<string[]>([]);
  const inOrg = useInOrg();
  const q = new URLSearchParams({ max: '50' });
  if (applied.from) q.set('from', new Date(applied.from).toISOString());
  if (applied.to) q.set('to', new Date(applied.to).toISOString());
  const url = pages[pages.length - 1] ?? inOrg(`/v1/adminAudit/events?${q}`);
  const { data, error } = useLoad(() => api<{ items: Event[] }>(url), [url]);
  const next = data ? nextLink(data.headers) : undefined;
  const shown = (data?.data.items ?? []).filter(
    (e) => (!actor || e.actorId.includes(actor)) && (!action || e.action.includes(action)),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ from, to });
    setPages([]);
  };
  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <form role="search" onSubmit={submit} className="inline">
        <Field label="From" type="datetime-local" value={from} onChange={setFrom} />
        <Field label="To" type="datetime-local" value={to} onChange={setTo} />
        <button type="submit">Apply time window</button>
      </form>
      <div className="inline">
        <Field label="Actor contains" value={actor} onChange={setActor} />
        <Field label="Action contains" value={action} onChange={setAction} />
      </div>
      <ErrorMessage error={error} />
      {data && (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id}>
                <td>{when(e.created)}</td>
                <td>
                  <code>{e.actorId}</code>
                </td>
                <td>{e.action}</td>
                <td>
                  <code>{e.target}</code>
                </td>
              </tr>
            ))}
            {shown.length === 0 && (
              <tr>
                <td colSpan={4}>No events on this page.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <Pager {...stackPaging(pages, setPages, next)} labels={['Newer', 'Older']} />
    </>
  );
}
