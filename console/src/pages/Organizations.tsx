/** Organizations: the partner → customer tree (server-paged), create a customer org, pick the org managed. */
import { useState, type FormEvent } from 'react';
import { api, nextLink } from '../api';
import {
  ErrorMessage,
  Field,
  Notice,
  Pager,
  PageTitle,
  stackPaging,
  useAction,
  useCan,
  useLoad,
  useMe,
  useOrg,
  when,
} from '../ui';

interface Org {
  id: string;
  displayName: string;
  code: string;
  parentId?: string;
  created: string;
}

/** Children under their parent when the parent is on the same page; the rest are roots. */
function treeOf(items: Org[]): { org: Org; depth: number }[] {
  const ids = new Set(items.map((o) => o.id));
  const children = new Map<string, Org[]>();
  for (const o of items) {
    if (o.parentId && ids.has(o.parentId)) children.set(o.parentId, [...(children.get(o.parentId) ?? []), o]);
  }
  const out: { org: Org; depth: number }[] = [];
  const walk = (o: Org, depth: number) => {
    out.push({ org: o, depth });
    for (const c of children.get(o.id) ?? []) walk(c, depth + 1);
  };
  for (const o of items) if (!o.parentId || !ids.has(o.parentId)) walk(o, 0);
  return out;
}

function CreateCustomer({ onCreated }: { onCreated: (o: Org) => void }) {
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body: Record<string, string> = { displayName: name.trim() };
      if (code.trim()) body.code = code.trim();
      const { data } = await api<Org>('/v1/organizations', { method: 'POST', body });
      setName('');
      setCode('');
      onCreated(data);
    });
  };
  return (
    <section aria-labelledby="new-org-h">
      <h2 id="new-org-h">Create a customer organization</h2>
      <form onSubmit={submit}>
        <Field label="Organization name" value={name} onChange={setName} required />
        <Field
          label="Code"
          value={code}
          onChange={setCode}
          hint="optional: lower-case letters, digits and dashes; derived from the name when empty"
        />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          Create organization
        </button>
      </form>
    </section>
  );
}

export function Organizations() {
  const can = useCan();
  const me = useMe();
  const { org, switchTo } = useOrg();
  const [pages, setPages] = useState<string[]>([]);
  const [created, setCreated] = useState<Org>();
  const url = pages[pages.length - 1] ?? '/v1/organizations?max=100';
  const { data, error, reload } = useLoad(() => api<{ items: Org[] }>(url), [url]);
  const next = data ? nextLink(data.headers) : undefined;
  const managed = org?.id ?? me.orgId;
  return (
    <>
      <PageTitle>Organizations</PageTitle>
      <p>
        Every page works in the organization being managed. Choose <em>Manage</em> to switch.
      </p>
      {created && <Notice>Created {created.displayName}.</Notice>}
      <ErrorMessage error={error} />
      {data && (
        <table>
          <caption className="sr-only">Organizations, customers under their partner</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Created</th>
              <th scope="col">Managed</th>
            </tr>
          </thead>
          <tbody>
            {treeOf(data.data.items).map(({ org: o, depth }) => (
              <tr key={o.id} data-org-id={o.id}>
                <td style={{ paddingInlineStart: `${0.5 + depth * 1.5}rem` }}>
                  {depth > 0 && <span aria-hidden="true">└ </span>}
                  {o.displayName}
                  {depth > 0 && <span className="sr-only"> (customer)</span>}
                </td>
                <td>
                  <code>{o.code}</code>
                </td>
                <td>{when(o.created)}</td>
                <td>
                  {o.id === managed ? (
                    <strong>Being managed</strong>
                  ) : (
                    <button
                      type="button"
                      aria-label={`Manage ${o.displayName}`}
                      onClick={() =>
                        switchTo({ id: o.id, name: o.displayName, code: o.code, home: o.id === me.orgId })
                      }
                    >
                      Manage
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager {...stackPaging(pages, setPages, next)} />
      {can('organizations.create') && (
        <CreateCustomer
          onCreated={(o) => {
            setCreated(o);
            reload();
          }}
        />
      )}
    </>
  );
}
