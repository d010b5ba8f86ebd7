import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../../store/changeFeed.js';
import type { Database } from '../../store/schema.js';
import { toClientRecord, type ClientRecord } from './clientRecord.js';

export const CLIENT_CHANGED = 'client';
const CACHE_TTL_MS = 30_000;
const MAX_CACHED = 10_000;

/**
 * Cached client lookups for the token endpoint and the authenticator, and coalesced `lastUsed`
 * writes: issuing a token never writes to the database synchronously. Writers call `changed()`
 * so this node drops the entry at once and other nodes on NOTIFY; the TTL bounds staleness if a
 * notification is ever lost.
 */
export class ClientDirectory {
  private cache = new Map<string, { record: ClientRecord | null; loadedAt: number }>();
  private pendingLastUsed = new Map<string, number>();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly feed: ChangeFeed,
    flushEveryMs: number,
  ) {
    feed.subscribe((topic, key) => {
      if (topic === CLIENT_CHANGED) this.cache.delete(key);
      else if (topic === '*') this.cache.clear();
    });
    this.flushTimer = setInterval(() => void this.flushLastUsed().catch(() => {}), flushEveryMs);
    this.flushTimer.unref();
  }

  async find(clientId: string): Promise<ClientRecord | undefined> {
    const hit = this.cache.get(clientId);
    if (hit && Date.now() - hit.loadedAt < CACHE_TTL_MS) return hit.record ?? undefined;
    const row = await this.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('id', '=', clientId)
      .executeTakeFirst();
    const record = row ? toClientRecord(row) : null;
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(clientId, { record, loadedAt: Date.now() });
    return record ?? undefined;
  }

  /** Call after committing any change to a client (update, disable, delete, secret rotation). */
  async changed(clientId: string): Promise<void> {
    this.cache.delete(clientId);
    await this.feed.publish(CLIENT_CHANGED, clientId);
  }

  /** Remembers that a client obtained a token; written within the flush interval. */
  markUsed(clientId: string, at = Date.now()): void {
    this.pendingLastUsed.set(clientId, at);
  }

  async flushLastUsed(): Promise<void> {
    if (this.pendingLastUsed.size === 0) return;
    const batch = this.pendingLastUsed;
    this.pendingLastUsed = new Map();
    await this.db.transaction().execute(async (trx) => {
      for (const [id, at] of batch) {
        await trx.updateTable('oauth_clients').set({ last_used_at: at }).where('id', '=', id).execute();
      }
    });
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }
}
