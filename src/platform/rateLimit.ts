/**
 * An in-memory fixed-window rate limiter keyed by any string (the families key it by client id).
 * Each key's window starts at its first request, so clients are not synchronised on a global
 * boundary. Per process: N nodes behind a load balancer allow up to N × max per window.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window. */
  remaining: number;
  /** Whole seconds until the window resets (≥ 1); what `Retry-After` carries when refused. */
  retryAfter: number;
}

/** What the families' hook needs: the in-memory limiter below or the Redis one (redisRateLimit.ts). */
export interface Limiter {
  readonly enabled: boolean;
  take(key: string): RateDecision | Promise<RateDecision>;
  close?(): Promise<void>;
}

export interface RateLimitSettings {
  /** Requests allowed per window; 0 turns the limiter off. */
  max: number;
  windowSeconds: number;
}

interface Window {
  startedAt: number;
  count: number;
}

/** More keys than this: expired windows are swept, then the oldest dropped (bounded memory). */
const DEFAULT_MAX_KEYS = 100_000;

export class RateLimiter implements Limiter {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {
    this.windowMs = settings.windowSeconds * 1000;
  }

  get enabled(): boolean {
    return this.settings.max > 0;
  }

  /** Counts one request for `key` and says whether it may proceed. */
  take(key: string, now = Date.now()): RateDecision {
    const { max } = this.settings;
    if (!this.enabled) return { allowed: true, limit: 0, remaining: 0, retryAfter: 0 };
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      if (!window && this.windows.size >= this.maxKeys) this.makeRoom(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    const retryAfter = Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
    if (window.count >= max) return { allowed: false, limit: max, remaining: 0, retryAfter };
    window.count++;
    return { allowed: true, limit: max, remaining: max - window.count, retryAfter };
  }

  private makeRoom(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
    }
    // Still full of live windows: forget the oldest (Map keeps insertion order).
    while (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
  }
}
