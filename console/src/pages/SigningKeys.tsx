import { useState } from 'react';
import { api } from '../api';
import { ConfirmButton, ErrorMessage, Notice, PageTitle, useCan, useLoad, when } from '../ui';

interface Key {
  kid: string;
  alg: string;
  state: string;
  created: string;
  retireAt: string | null;
}

export function SigningKeys() {
  const can = useCan();
  const [includeRetired, setIncludeRetired] = useState(false);
  const [done, setDone] = useState('');
  const { data, error, reload } = useLoad(
    () => api<{ items: Key[] }>(`/admin/v1/signingKeys?includeRetired=${includeRetired}`),
    [includeRetired],
  );
  const rotate = async (alg: string) => {
    const { data: r } = await api<{ kid: string; previousRetireAt: string }>('/admin/v1/signingKeys/rotate', {
      method: 'POST',
      body: { alg },
    });
    setDone(`New ${alg} key ${r.kid}; the previous one is still accepted until ${when(r.previousRetireAt)}.`);
    reload();
  };
  return (
    <>
      <PageTitle>Signing keys</PageTitle>
      <p>
        EdDSA keys sign access tokens, RS256 keys sign ID tokens. Active and retiring keys are published in
        JWKS.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={includeRetired}
          onChange={(e) => setIncludeRetired(e.target.checked)}
        />
        Show retired keys
      </label>
      <ErrorMessage error={error} />
      {done && <Notice>{done}</Notice>}
      {data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Key ID</th>
              <th scope="col">Algorithm</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Retires</th>
            </tr>
          </thead>
          <tbody>
            {data.data.items.map((k) => (
              <tr key={k.kid}>
                <td>
                  <code>{k.kid}</code>
                </td>
                <td>{k.alg}</td>
                <td>{k.state}</td>
                <td>{when(k.created)}</td>
                <td>{when(k.retireAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('signingKeys.rotate') && (
        <div className="actions">
          {['EdDSA', 'RS256'].map((alg) => (
            <ConfirmButton
              key={alg}
              label={`Rotate ${alg} key`}
              question={`Create a new ${alg} signing key? Tokens signed by the current one stay valid until they expire.`}
              confirmLabel="Rotate"
              onConfirm={() => rotate(alg)}
            />
          ))}
        </div>
      )}
    </>
  );
}
