/** The overview's chart: people's access tokens and logins per hour, last 24 h (/admin/v1/stats). */
import { api } from '../api';
import { ErrorMessage, useInOrg, useLoad } from '../ui';

interface Hour {
  hour: string;
  tokens: number;
  logins: number;
}

const W = 24 * 28;
const H = 120;

export function ActivityChart() {
  const inOrg = useInOrg();
  const { data, error } = useLoad(() => api<{ hours: Hour[] }>(inOrg('/admin/v1/stats')), []);
  const hours = data?.data.hours ?? [];
  const max = Math.max(1, ...hours.flatMap((h) => [h.tokens, h.logins]));
  const scale = (n: number) => (n / max) * (H - 10);
  const label = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const totals = hours.reduce((t, h) => ({ tokens: t.tokens + h.tokens, logins: t.logins + h.logins }), {
    tokens: 0,
    logins: 0,
  });
  return (
    <section aria-labelledby="activity-h">
      <h2 id="activity-h">Last 24 hours</h2>
      <ErrorMessage error={error} />
      {data && (
        <>
          <p>
            {totals.tokens} access tokens issued to people, {totals.logins} logins.{' '}
            <span className="legend tokens">■ tokens</span> <span className="legend logins">■ logins</span>
          </p>
          <svg
            viewBox={`0 0 ${W} ${H + 16}`}
            className="chart"
            role="img"
            aria-label={`Per hour over the last 24 hours: ${totals.tokens} tokens and ${totals.logins} logins; the table below has the numbers.`}
          >
            {hours.map((h, i) => (
              <g key={h.hour} transform={`translate(${i * 28 + 2},0)`}>
                <rect className="tokens" x={0} y={H - scale(h.tokens)} width={11} height={scale(h.tokens)}>
                  <title>{`${label(h.hour)}: ${h.tokens} tokens`}</title>
                </rect>
                <rect className="logins" x={12} y={H - scale(h.logins)} width={11} height={scale(h.logins)}>
                  <title>{`${label(h.hour)}: ${h.logins} logins`}</title>
                </rect>
                {i % 4 === 0 && (
                  <text x={0} y={H + 13} className="tick">
                    {label(h.hour)}
                  </text>
                )}
              </g>
            ))}
            <line x1={0} x2={W} y1={H} y2={H} className="axis" />
          </svg>
          <details>
            <summary>The numbers</summary>
            <table>
              <caption className="sr-only">Tokens and logins per hour</caption>
              <thead>
                <tr>
                  <th scope="col">Hour</th>
                  <th scope="col">Tokens</th>
                  <th scope="col">Logins</th>
                </tr>
              </thead>
              <tbody>
                {hours.map((h) => (
                  <tr key={h.hour}>
                    <td>{label(h.hour)}</td>
                    <td>{h.tokens}</td>
                    <td>{h.logins}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
