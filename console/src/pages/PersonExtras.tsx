/** A person's licenses (from any org) and Keyward sign-in sessions, from /admin/v1/people/:id/…. */
import { api } from '../api';
import { Link } from '../router';
import { ConfirmButton, ErrorMessage, Notice, useCan, useLoad, when } from '../ui';
import { useState } from 'react';

export function PersonLicenses({ personId }: { personId: string }) {
  const { data, error } = useLoad(
    () =>
      api<{ items: { licenseId: string; name: string; orgId: string; status: string }[] }>(
        `/admin/v1/people/${encodeURIComponent(personId)}/licenses`,
      ),
    [personId],
  );
  return (
    <section aria-labelledby="licenses-h">
      <h2 id="licenses-h">Licenses</h2>
      <ErrorMessage error={error} />
      {data && data.data.items.length === 0 && <p>No licenses.</p>}
      {data && data.data.items.length > 0 && (
        <ul>
          {data.data.items.map((l) => (
            <li key={l.licenseId}>
              <Link to={`/licenses/${encodeURIComponent(l.licenseId)}`}>{l.name}</Link>
              {l.status === 'pending' ? ' (pending until they accept)' : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function PersonSessions({ personId }: { personId: string }) {
  const can = useCan();
  const path = `/admin/v1/people/${encodeURIComponent(personId)}/sessions`;
  const { data, error, reload } = useLoad(
    () => api<{ items: { created: string; authTime: string; expires: string }[] }>(path),
    [personId],
  );
  const [ended, setEnded] = useState<number>();
  const items = data?.data.items ?? [];
  return (
    <section aria-labelledby="sessions-h">
      <h2 id="sessions-h">Sign-in sessions</h2>
      <ErrorMessage error={error} />
      {ended !== undefined && <Notice>Ended {ended} session(s).</Notice>}
      {data && items.length === 0 && <p>No live sessions.</p>}
      {items.length > 0 && (
        <table>
          <caption className="sr-only">Live sign-in sessions</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Password entered</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s, i) => (
              <tr key={`${s.created}-${i}`}>
                <td>{when(s.created)}</td>
                <td>{when(s.authTime)}</td>
                <td>{when(s.expires)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.length > 0 && can('people.write') && (
        <ConfirmButton
          label="End all sessions"
          danger
          question="End all of this person’s sign-in sessions? They sign in again next time (their app grants stay)."
          confirmLabel="End sessions"
          onConfirm={async () => {
            const { data: r } = await api<{ ended: number }>(path, { method: 'DELETE' });
            setEnded(r.ended);
            reload();
          }}
        />
      )}
    </section>
  );
}
