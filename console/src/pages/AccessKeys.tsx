/** A service client's Authress-style access keys: create (the key shown once), list, revoke. */
import { useState } from 'react';
import { api } from '../api';
import { ConfirmButton, ErrorMessage, Notice, useAction, useCan, useLoad, when } from '../ui';

interface AccessKey {
  keyId: string;
  generationDate: string;
  revokedDate?: string;
}

export function AccessKeys({ clientId }: { clientId: string }) {
  const can = useCan();
  const base = `/v1/clients/${encodeURIComponent(clientId)}/access-keys`;
  const { data, error, reload } = useLoad(() => api<{ keys: AccessKey[] }>(base), [clientId]);
  const [created, setCreated] = useState<{ keyId: string; accessKey: string }>();
  const [copied, setCopied] = useState(false);
  const create = useAction();
  const write = can('accessKeys.write');
  return (
    <section aria-labelledby="keys-h">
      <h2 id="keys-h">Access keys</h2>
      <p>An access key signs this application’s own tokens (Authress style); each is shown once.</p>
      <ErrorMessage error={error} />
      {created && (
        <div className="secret">
          <p>Copy the new access key now: Keyward will never show it again.</p>
          <p>
            <output aria-label="Access key" className="mono" data-testid="access-key">
              {created.accessKey}
            </output>
          </p>
          <button
            type="button"
            onClick={() => void navigator.clipboard?.writeText(created.accessKey).then(() => setCopied(true))}
          >
            Copy access key
          </button>
          {copied && <Notice>Copied to the clipboard.</Notice>}
        </div>
      )}
      {write && (
        <p>
          <button
            type="button"
            disabled={create.busy}
            onClick={() =>
              void create.run(async () => {
                const { data: key } = await api<{ keyId: string; accessKey: string }>(base, {
                  method: 'POST',
                });
                setCopied(false);
                setCreated(key);
                reload();
              })
            }
          >
            Create access key
          </button>
        </p>
      )}
      <ErrorMessage error={create.error} />
      {data && data.data.keys.length > 0 && (
        <table>
          <caption className="sr-only">Access keys</caption>
          <thead>
            <tr>
              <th scope="col">Key id</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              {write && <th scope="col">Revoke</th>}
            </tr>
          </thead>
          <tbody>
            {data.data.keys.map((k) => (
              <tr key={k.keyId} data-key-id={k.keyId}>
                <td>
                  <code>{k.keyId}</code>
                </td>
                <td>{when(k.generationDate)}</td>
                <td>{k.revokedDate ? `revoked ${when(k.revokedDate)}` : 'active'}</td>
                {write && (
                  <td>
                    {!k.revokedDate && (
                      <ConfirmButton
                        label="Revoke"
                        danger
                        question={`Revoke access key ${k.keyId}? Tokens it signs are refused at once.`}
                        onConfirm={async () => {
                          await api(`${base}/${encodeURIComponent(k.keyId)}`, { method: 'DELETE' });
                          reload();
                        }}
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.data.keys.length === 0 && <p>No access keys.</p>}
    </section>
  );
}
