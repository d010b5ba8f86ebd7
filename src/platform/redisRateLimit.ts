/**
 * The rate limiter shared by every node: a fixed window per key counted in Redis (one INCR +
 * PEXPIRE script, atomic on the server), the same semantics as the in-memory RateLimiter. Redis
 * unreachable or slow: the request is never failed nor held longer than COMMAND_TIMEOUT_MS; it is
 * decided by this process's own in-memory limiter instead (per-node limits until Redis is ready
 * again, without asking it meanwhile), and the outage is logged once.
 */
import { Redis } from 'ioredis';
import type { KeywardConfig } from './config.js';
import { RateLimiter, type Limiter, type RateDecision, type RateLimitSettings } from './rateLimit.js';

/** A Redis command that has not answered after this long is given up (fail over to local). */
const COMMAND_TIMEOUT_MS = 500;
/** The first requests after start wait at most this long for the first connection. */
const FIRST_CONNECT_MS = 2000;

const WINDOW_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

export interface RedisLimiterOptions {
  url: string;
  /** Prepended to every key (several deployments or tests on one Redis). */
  prefix: string;
  /** Told once per outage (and once when Redis answers again). */
  log: (level: 'warn' | 'info', message: string) => void;
}

export class RedisRateLimiter implements Limiter {
  private readonly redis: Redis;
  private readonly local: RateLimiter;
  private down = false;
  /** Settles when the first connection is ready, fails, or FIRST_CONNECT_MS passes. */
  private readonly started: Promise<void>;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly options: RedisLimiterOptions,
  ) {
    this.local = new RateLimiter(settings);
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      // Commands wait for the first connection, but never longer than commandTimeout; once an
      // outage is known, take() does not even ask Redis until it is ready again.
      enableOfflineQueue: true,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: FIRST_CONNECT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', (error: Error) => this.outage(error));
    this.redis.on('ready', () => this.recovered());
    let timer: NodeJS.Timeout | undefined;
    this.started = Promise.race([
      this.redis.connect().catch((error: Error) => this.outage(error)),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.outage(new Error(`no answer in ${FIRST_CONNECT_MS} ms`));
          resolve();
        }, FIRST_CONNECT_MS);
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer));
    this.redis.defineCommand('keywardWindow', { numberOfKeys: 1, lua: WINDOW_SCRIPT });
  }

  get enabled(): boolean {
    return this.settings.max > 0;
  }

  async take(key: string): Promise<RateDecision> {
    const { max, windowSeconds } = this.settings;
    if (!this.enabled) return { allowed: true, limit: 0, remaining: 0, retryAfter: 0 };
    await this.started;
    if (this.down) return this.local.take(key);
    try {
      const run = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<[number, number]>>)
        .keywardWindow!;
      const [count, ttl] = await run.call(
        this.redis,
        `${this.options.prefix}rl:${key}`,
        windowSeconds * 1000,
      );
      const retryAfter = Math.max(1, Math.ceil(ttl / 1000));
      return { allowed: count <= max, limit: max, remaining: Math.max(0, max - count), retryAfter };
    } catch (error) {
      this.outage(error as Error);
      return this.local.take(key);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.options.log('info', 'Redis answers again: rate limits are shared by all nodes again');
  }

  private outage(error: Error): void {
    if (this.down) return;
    this.down = true;
    this.options.log(
      'warn',
      `Redis rate-limit store unreachable (${error.message}): limiting per node until it answers`,
    );
  }
}

/**
 * The management APIs' per-client limiter: in Redis with KEYWARD_REDIS_URL, else in this process.
 * The caller passes the log (the edge owns the logger's format; platform imports nothing above it).
 */
export function createLimiter(config: KeywardConfig, log: RedisLimiterOptions['log']): Limiter {
  if (!config.redisUrl || config.rateLimit.max === 0) return new RateLimiter(config.rateLimit);
  return new RedisRateLimiter(config.rateLimit, { url: config.redisUrl, prefix: config.redisPrefix, log });
}
