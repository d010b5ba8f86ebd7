import { api } from '../api';
import { Link } from '../router';
import { ActivityChart } from './ActivityChart';
import { ErrorMessage, PageTitle, useCan, useLoad, when } from '../ui';

async function count(path: string): Promise<number | undefined> {
  return api(path).then(
    (r) => Number(r.headers.get('x-total-count') ?? (r.data as any)?.totalResults ?? NaN),
    () => undefined,
  );
}

export function Overview() {
  const can = useCan();
  const { data, error } = useLoad(async () => {
    const [health, apps, authorisations, events] = await Promise.all([
      fetch('/readyz')
        .then((r) => r.json())
        .catch(() => ({ status: 'unreachable' })),
      can('oauthClients.read') ? count('/v3/oauth-clients?limit=1&count=true') : undefined,
      can('authorisations.read') ? count('/api/rest/v1/authorisation?count=1') : undefined,
      can('audit.read')
        ? api<{ items: any[] }>('/v1/adminAudit/events?max=10').then((r) => r.data.items)
        : [],
    ]);
    return { health, apps, authorisations, events };
  }, []);
  return (
    <>
      <PageTitle>Overview</PageTitle>
      <ErrorMessage error={error} />
      {data && (
        <>
          <dl className="facts">
            <dt>Server</dt>
            <dd>{data.health.status}</dd>
            {data.apps !== undefined && (
              <>
                <dt>Applications</dt>
                <dd>
                  <Link to="/applications">{data.apps}</Link>
                </dd>
              </>
            )}
            {data.authorisations !== undefined && (
              <>
                <dt>Authorisations</dt>
                <dd>
                  <Link to="/authorisations">{data.authorisations}</Link>
                </dd>
              </>
            )}
          </dl>
          {can('audit.read') && <ActivityChart />}
          {can('audit.read') && (
            <section aria-labelledby="recent-h">
              <h2 id="recent-h">Recent admin activity</h2>
              <ul>
                {data.events.map((e) => (
                  <li key={e.id}>
                    {when(e.created)} — <code>{e.actorId}</code> {e.action} <code>{e.target}</code>
                  </li>
                ))}
              </ul>
              <Link to="/audit">Full audit log</Link>
            </section>
          )}
        </>
      )}
    </>
  );
}
