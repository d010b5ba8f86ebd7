import { Forbidden } from '../../platform/errors.js';
import type { Db } from '../../store/dialect.js';
import { listSigningKeys, longestAccessTokenTtl, type SigningKeySummary } from '../../store/keys.js';
import { authorize } from '../access/matrix.js';
import { actorOf, type Principal } from '../access/principal.js';
import { recordAudit } from '../audit/auditLog.js';
import { ROOT_ORG_CODE } from '../bootstrap.js';
import type { Organizations } from '../organizations/organizations.js';
import type { JwtAlg } from '../tokens/jwt.js';
import { KEY_RELOAD_MS, type SigningKeys } from './signingKeys.js';

const SKEW_MS = 60_000;

/**
 * The signing key ring through the admin API. Keys belong to the whole installation, so rotating
 * is for full admins of the root organization only; any admin may read the (public) metadata.
 */
export class KeyAdmin {
  constructor(
    private readonly db: Db,
    private readonly keys: SigningKeys,
    private readonly organizations: Organizations,
    private readonly defaultAccessTokenTtl: number,
  ) {}

  async list(principal: Principal, includeRetired: boolean): Promise<SigningKeySummary[]> {
    authorize(principal, 'signingKeys.read');
    return listSigningKeys(this.db, { max: 200, includeRetired });
  }

  async rotate(principal: Principal, alg: JwtAlg): Promise<{ kid: string; retireAt: number }> {
    authorize(principal, 'signingKeys.rotate');
    const org = await this.organizations.find(principal.orgId);
    if (org?.code !== ROOT_ORG_CODE) {
      throw new Forbidden('Only full admins of the root organization may rotate signing keys.');
    }
    // As `keyward keys rotate`: the old key stays published until every token it signed expired.
    const longest = Math.max(await longestAccessTokenTtl(this.db), this.defaultAccessTokenTtl);
    const retireAfterMs = longest * 1000 + KEY_RELOAD_MS + SKEW_MS;
    const kid = await this.keys.rotate(alg, retireAfterMs);
    await recordAudit(this.db, {
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: 'signing_key.rotate',
      target: `signing_key:${kid}`,
      detail: { alg },
    });
    return { kid, retireAt: Date.now() + retireAfterMs };
  }
}
