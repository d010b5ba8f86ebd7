import { randomBytes } from 'node:crypto';
import { newId } from '../../src/platform/ids.js';
import { startKeyward } from '../support/harness.js';

const k = await startKeyward();
const token = await k.token();
const run = async (label: string) => {
  for (let i = 0; i < 3000; i++) await k.app.inject({ method: 'GET', url: '/v1/organizations', headers: { authorization: `Bearer ${token}` } });
  const n = 20000;
  const t = performance.now();
  for (let i = 0; i < n; i++) await k.app.inject({ method: 'GET', url: '/v1/organizations', headers: { authorization: `Bearer ${token}` } });
  console.log(label, ((performance.now() - t) * 1000 / n).toFixed(1), 'us/req');
};
await run('none'); await run('none 2'); await run('none 3');
const now = Date.now();
const rows = Array.from({ length: 10000 }, () => ({ id: newId(now), org_id: k.admin.orgId, client_id: k.admin.clientId, person_id: null, type: 'access', parent_id: null, family_id: null, token_hash: null, jti: randomBytes(16).toString('base64url'), scope: '', auth_time: null, created_at: now, expires_at: now + 3600000, rotated_at: null, revoked_at: now }));
for (let i = 0; i < rows.length; i += 500) await k.services.store.db.insertInto('token_grants').values(rows.slice(i, i + 500)).execute();
await run('rows, not loaded');
await k.services.revocations.load();
await run('rows loaded');
await run('rows loaded again');
await k.close();
