/** Authorisations (Trivore): SCIM-filtered list, types and sources, create, revoke with cause, check at time. */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Link, useRouter } from '../router';
import {
  ErrorMessage,
  Field,
  Notice,
  Pager,
  PageTitle,
  useAction,
  useCan,
  useLoad,
  useOrg,
  when,
} from '../ui';

const BASE = '/api/rest/v1/authorisation';

interface Authorisation {
  id: string;
  type: string;
  authSource?: string;
  nsCode: string;
  active: boolean;
  revoked: boolean;
  revokedAt?: string;
  revocationDetails?: { cause?: string };
  validFrom: string;
  validTo?: string;
  effectiveValidTo?: string;
  subject?: { type: string; value: string };
  object?: { type: string; value: string };
}
interface CatalogEntry {
  id: string;
  code: string;
  nsCode: string;
  name?: string;
}

/** The managed customer org's namespace (nsCode = organization code), or none for the admin's own. */
function useNamespace(): string | undefined {
  const { org } = useOrg();
  return org && !org.home ? org.code : undefined;
}

const PARTY_TYPES = ['User', 'Group', 'String', 'Contact', 'Target'];

function PartyType(props: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {PARTY_TYPES.map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
    </div>
  );
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A filter error pointed at the character: the server's position, shifted to what the admin typed. */
function FilterError({ error, text, shift }: { error: unknown; text: string; shift: number }) {
  if (!error) return null;
  const pos = error instanceof ApiError ? error.body?.position : undefined;
  if (typeof pos !== 'number' || pos - shift < 0 || pos - shift > text.length)
    return <ErrorMessage error={error} />;
  const at = pos - shift;
  return (
    <div role="alert" className="error">
      <p>
        {(error instanceof Error ? error.message : String(error)).replace(
          /at position \d+/,
          `at character ${at + 1}`,
        )}
      </p>
      <pre className="pointer" aria-label={`The error is at character ${at + 1} of the filter`}>
        {text}
        {'\n'}
        {' '.repeat(at)}^
      </pre>
    </div>
  );
}

export function Authorisations() {
  const can = useCan();
  const ns = useNamespace();
  const PAGE = 25;
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [start, setStart] = useState(1);
  const prefix = ns ? `nsCode eq ${quote(ns)}${applied ? ' and (' : ''}` : '';
  const full = ns ? `${prefix}${applied}${applied ? ')' : ''}` : applied;
  const q = new URLSearchParams({ startIndex: String(start), count: String(PAGE) });
  if (full) q.set('filter', full);
  const url = `${BASE}?${q}`;
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
      {can('authorisations.create') && (
        <p>
          <Link to="/authorisations/new" className="button">
            Create an authorisation
          </Link>
        </p>
      )}
      <form role="search" onSubmit={submit} className="inline">
        <Field
          label="SCIM filter"
          value={filter}
          onChange={setFilter}
          hint='e.g. type eq "door" and active eq true'
        />
        <button type="submit">Filter</button>
      </form>
      <FilterError error={error} text={applied} shift={prefix.length} />
      {data && (
        <>
          <p>{total} authorisations</p>
          <table>
            <caption className="sr-only">Authorisations</caption>
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
                  <td>
                    <Link to={`/authorisations/${encodeURIComponent(a.id)}`}>{a.type}</Link>
                  </td>
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
      <Pager
        previous={start > 1 ? () => setStart(Math.max(1, start - PAGE)) : undefined}
        next={start + PAGE <= total ? () => setStart(start + PAGE) : undefined}
      />
      <CheckAtTime />
      {can('authorisationTypes.read') && <Catalog kind="type" />}
      {can('authorisationSources.read') && <Catalog kind="source" />}
    </>
  );
}

/** datetime-local (the admin's local time) → ISO instant; empty stays empty. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : '');

function CheckAtTime() {
  const [subject, setSubject] = useState('');
  const [object, setObject] = useState('');
  const [type, setType] = useState('');
  const [at, setAt] = useState('');
  const [result, setResult] = useState<{ active: boolean; at: string; authorisationIds: string[] }>();
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const q = new URLSearchParams({ 'subject.value': subject, 'object.value': object, type });
      if (at) q.set('at', isoOf(at));
      setResult((await api(`${BASE}/check?${q}`)).data);
    });
  };
  return (
    <section aria-labelledby="check-h">
      <h2 id="check-h">Check at a time</h2>
      <form onSubmit={submit}>
        <Field label="Subject value" value={subject} onChange={setSubject} required />
        <Field label="Object value" value={object} onChange={setObject} required />
        <Field label="Type code" value={type} onChange={setType} required />
        <Field label="At" type="datetime-local" value={at} onChange={setAt} hint="empty: now" />
        <button type="submit" disabled={busy}>
          Check
        </button>
      </form>
      <ErrorMessage error={error} />
      {result && (
        <Notice>
          {result.active ? 'Authorised' : 'Not authorised'} at {when(result.at)}
          {result.authorisationIds.length > 0 && ` (by ${result.authorisationIds.join(', ')})`}.
        </Notice>
      )}
    </section>
  );
}

function Catalog({ kind }: { kind: 'type' | 'source' }) {
  const can = useCan();
  const ns = useNamespace();
  const path = `/api/rest/v1/authorisation_${kind}`;
  const q = new URLSearchParams({ count: '100' });
  if (ns) q.set('filter', `nsCode eq ${quote(ns)}`);
  const { data, error, reload } = useLoad(
    () => api<{ totalResults: number; resources: CatalogEntry[] }>(`${path}?${q}`),
    [],
  );
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const create = useAction();
  const title = kind === 'type' ? 'Types' : 'Sources';
  const op = kind === 'type' ? 'authorisationTypes.create' : 'authorisationSources.create';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run(async () => {
      await api(path, {
        method: 'POST',
        body: { code: code.trim(), name: name.trim() || null, ...(ns ? { nsCode: ns } : {}) },
      });
      setCode('');
      setName('');
      reload();
    });
  };
  return (
    <section aria-labelledby={`${kind}-h`}>
      <h2 id={`${kind}-h`}>
        {title} ({data?.data.totalResults ?? '…'})
      </h2>
      <ErrorMessage error={error} />
      {data && (
        <ul>
          {data.data.resources.map((c) => (
            <li key={c.id}>
              <code>{c.code}</code> {c.name}
            </li>
          ))}
        </ul>
      )}
      {can(op) && (
        <form onSubmit={submit} className="inline">
          <Field label={`New ${kind} code`} value={code} onChange={setCode} required />
          <Field label={`New ${kind} name`} value={name} onChange={setName} />
          <button type="submit" disabled={create.busy}>
            Add {kind}
          </button>
        </form>
      )}
      <ErrorMessage error={create.error} />
    </section>
  );
}

export function AuthorisationNew() {
  const { navigate } = useRouter();
  const ns = useNamespace();
  const nsFilter = ns ? `&filter=${encodeURIComponent(`nsCode eq ${quote(ns)}`)}` : '';
  const catalogs = useLoad(
    () =>
      Promise.all(
        (['type', 'source'] as const).map((k) =>
          api<{ resources: CatalogEntry[] }>(`/api/rest/v1/authorisation_${k}?count=500${nsFilter}`).then(
            (r) => r.data.resources,
          ),
        ),
      ),
    [],
  );
  const [type, setType] = useState('');
  const [source, setSource] = useState('');
  const [subjectType, setSubjectType] = useState('User');
  const [subjectValue, setSubjectValue] = useState('');
  const [objectType, setObjectType] = useState('Target');
  const [objectValue, setObjectValue] = useState('');
  const [validFrom, setValidFrom] = useState('');
  const [validTo, setValidTo] = useState('');
  const { busy, error, run } = useAction();
  const [types, sources] = catalogs.data ?? [[], []];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body = {
        type: type || types[0]?.code,
        authSource: source || null,
        ...(ns ? { nsCode: ns } : {}),
        subject: { type: subjectType.trim(), value: subjectValue.trim() },
        object: { type: objectType.trim(), value: objectValue.trim() },
        validFrom: isoOf(validFrom) || null,
        validTo: isoOf(validTo) || null,
      };
      const { data } = await api<Authorisation>(BASE, { method: 'POST', body });
      navigate(`/authorisations/${encodeURIComponent(data.id)}?created=1`);
    });
  };
  return (
    <>
      <PageTitle>Create an authorisation</PageTitle>
      <ErrorMessage error={catalogs.error} />
      {catalogs.data && types.length === 0 && (
        <p>Add an authorisation type first (on the Authorisations page).</p>
      )}
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="auth-type">Type</label>
          <select id="auth-type" value={type} onChange={(e) => setType(e.target.value)} required>
            {types.map((t) => (
              <option key={t.id} value={t.code}>
                {t.name ? `${t.name} (${t.code})` : t.code}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="auth-source">Source</label>
          <select id="auth-source" value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="">(none)</option>
            {sources.map((s) => (
              <option key={s.id} value={s.code}>
                {s.name ? `${s.name} (${s.code})` : s.code}
              </option>
            ))}
          </select>
        </div>
        <PartyType id="subject-type" label="Subject type" value={subjectType} onChange={setSubjectType} />
        <Field
          label="Subject value"
          value={subjectValue}
          onChange={setSubjectValue}
          required
          hint="e.g. a person id"
        />
        <PartyType id="object-type" label="Object type" value={objectType} onChange={setObjectType} />
        <Field label="Object value" value={objectValue} onChange={setObjectValue} required />
        <Field
          label="Valid from"
          type="datetime-local"
          value={validFrom}
          onChange={setValidFrom}
          hint="empty: now"
        />
        <Field
          label="Valid to"
          type="datetime-local"
          value={validTo}
          onChange={setValidTo}
          hint="empty: open-ended"
        />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy || types.length === 0}>
          Create authorisation
        </button>
      </form>
    </>
  );
}

export function AuthorisationDetail({ id }: { id: string }) {
  const can = useCan();
  const { path } = useRouter();
  const { data, error, reload } = useLoad(
    () => api<Authorisation>(`${BASE}/${encodeURIComponent(id)}`),
    [id],
  );
  const [cause, setCause] = useState('');
  const revoke = useAction();
  const a = data?.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void revoke.run(async () => {
      await api(`${BASE}/${encodeURIComponent(id)}/revoke`, {
        method: 'POST',
        body: { cause: cause.trim() || null },
      });
      reload();
    });
  };
  return (
    <>
      <PageTitle>{a ? `Authorisation ${a.type}` : 'Authorisation'}</PageTitle>
      {path.includes('created=1') && <Notice>The authorisation was created.</Notice>}
      <ErrorMessage error={error} />
      {a && (
        <dl className="facts">
          <dt>Id</dt>
          <dd>
            <code>{a.id}</code>
          </dd>
          <dt>Namespace</dt>
          <dd>{a.nsCode}</dd>
          <dt>Source</dt>
          <dd>{a.authSource ?? '—'}</dd>
          <dt>Subject</dt>
          <dd>{a.subject ? `${a.subject.type}: ${a.subject.value}` : '—'}</dd>
          <dt>Object</dt>
          <dd>{a.object ? `${a.object.type}: ${a.object.value}` : '—'}</dd>
          <dt>Valid</dt>
          <dd>
            {when(a.validFrom)} – {when(a.validTo)}
          </dd>
          <dt>State</dt>
          <dd data-testid="authorisation-state">
            {a.revoked ? `revoked ${when(a.revokedAt)}` : a.active ? 'active' : 'not active now'}
          </dd>
          {a.revoked && (
            <>
              <dt>Cause</dt>
              <dd>{a.revocationDetails?.cause ?? '—'}</dd>
            </>
          )}
        </dl>
      )}
      {a && !a.revoked && can('authorisations.revoke') && (
        <form onSubmit={submit}>
          <h2>Revoke</h2>
          <Field label="Cause" value={cause} onChange={setCause} hint="recorded with the revocation" />
          <ErrorMessage error={revoke.error} />
          <button type="submit" className="danger" disabled={revoke.busy}>
            Revoke authorisation
          </button>
        </form>
      )}
      <p>
        <Link to="/authorisations">All authorisations</Link>
      </p>
    </>
  );
}
