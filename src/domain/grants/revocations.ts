import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../../store/changeFeed.js';
import type { Database } from '../../store/schema.js';
import { Unauthenticated } from '../../platform/errors.js';
import type { AccessTokenClaims } from '../tokens/accessTokens.js';

const REVOKED_JTI = 'revoked-jti';
const CLIENT_NOT_BEFORE = 'client-not-before';

/**
 * Which unexpired access tokens are revoked, kept in memory so the check on every authenticated
 * request is a map lookup, not a query. Revocations are written to the database first, then
 * published: this node updates at once, other nodes on PostgreSQL NOTIFY (milliseconds; after a
 * lost LISTEN connection a node reloads everything). Revoked jtis are dropped once expired.
 */
export class TokenRevocations {
  private revokedJtis = new Map<string, number>();
  /** `${clientId} ${orgId}` → epoch ms: tokens issued before are revoked. */
  private notBefore = new Map<string, number>();
  private sweepTimer?: NodeJS.Timeout;
  /** Changes heard while a reload runs: its snapshot may predate them, so they are replayed. */
  private heardDuringLoad?: [string, string][];
  private loading?: Promise<void>;
  private loadingAgain?: Promise<void>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly feed: ChangeFeed,
  ) {
    feed.subscribe((topic, key) => {
      if (topic === '*') return void this.load().catch(() => {});
      this.heardDuringLoad?.push([topic, key]);
      this.apply(topic, key);
    });
    this.sweepTimer = setInterval(() => this.sweep(), 60_000);
    this.sweepTimer.unref();
  }

  private apply(topic: string, key: string): void {
    if (topic === REVOKED_JTI) {
      const [jti, exp] = key.split(' ');
      this.revokedJtis.set(jti!, Number(exp));
    } else if (topic === CLIENT_NOT_BEFORE) {
      const [clientId, orgId, at] = key.split(' ');
      this.raiseNotBefore(`${clientId} ${orgId}`, Number(at));
    }
  }

  /** Reloads from the database (at start, after a lost LISTEN, and every reconcile interval). */
  load(): Promise<void> {
    // One reload at a time; a request during one runs once more after it (its snapshot may
    // predate what the request was about), however many requests came meanwhile.
    if (this.loading) {
      this.loadingAgain ??= this.loading
        .catch(() => {})
        .then(() => {
          this.loadingAgain = undefined;
          return this.load();
        });
      return this.loadingAgain;
    }
    this.loading = this.reload(Date.now()).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async reload(now: number): Promise<void> {
    const heard: [string, string][] = [];
    this.heardDuringLoad = heard;
    try {
      await this.replace(now);
    } finally {
      this.heardDuringLoad = undefined;
    }
    for (const [topic, key] of heard) this.apply(topic, key);
  }

  private async replace(now: number): Promise<void> {
    const [jtis, clients] = await Promise.all([
      this.db
        .selectFrom('token_grants')
        .select(['jti', 'expires_at'])
        .where('type', '=', 'access')
        .where('revoked_at', 'is not', null)
        .where('expires_at', '>', now)
        .execute(),
      this.db.selectFrom('client_revocations').selectAll().execute(),
    ]);
    this.revokedJtis = new Map(jtis.filter((r) => r.jti).map((r) => [r.jti!, r.expires_at]));
    this.notBefore = new Map(clients.map((r) => [`${r.client_id} ${r.org_id}`, r.not_before]));
  }

  /** Throws Unauthenticated when the token was revoked (by jti, or by its client's not-before). */
  check(claims: AccessTokenClaims): void {
    if (this.revokedJtis.has(claims.jti)) throw new Unauthenticated('The access token has been revoked.');
    const nb = this.notBefore.get(`${claims.client_id} ${claims.org}`);
    if (nb !== undefined && claims.iat * 1000 < nb)
      throw new Unauthenticated('The access token has been revoked.');
  }

  /**
   * The earliest `iat` (seconds) a new token of this client in this org may carry: not-before
   * times are whole seconds, so a token issued in the second of a revocation starts the next one.
   */
  minimumIat(clientId: string, orgId: string): number {
    const nb = this.notBefore.get(`${clientId} ${orgId}`);
    return nb === undefined ? 0 : nb / 1000;
  }

  isRevoked(claims: AccessTokenClaims): boolean {
    try {
      this.check(claims);
      return false;
    } catch {
      return true;
    }
  }

  /** Call after the revocation is committed. */
  async publishRevokedJtis(tokens: readonly { jti: string | null; expires_at: number }[]): Promise<void> {
    for (const t of tokens) if (t.jti) await this.feed.publish(REVOKED_JTI, `${t.jti} ${t.expires_at}`);
  }

  async publishClientNotBefore(clientId: string, orgId: string, at: number): Promise<void> {
    await this.feed.publish(CLIENT_NOT_BEFORE, `${clientId} ${orgId} ${at}`);
  }

  /** Entries held in memory (revoked jtis and client not-befores), for the metrics. */
  get size(): number {
    return this.revokedJtis.size + this.notBefore.size;
  }

  close(): void {
    clearInterval(this.sweepTimer);
  }

  private raiseNotBefore(key: string, at: number): void {
    if ((this.notBefore.get(key) ?? 0) < at) this.notBefore.set(key, at);
  }

  private sweep(now = Date.now()): void {
    for (const [jti, exp] of this.revokedJtis) if (exp * 1 <= now) this.revokedJtis.delete(jti);
  }
}
