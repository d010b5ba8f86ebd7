import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  seconds?: number;
  warmupSeconds?: number;
  /** autocannon's per-request hooks (setupRequest/onResponse with a per-connection context). */
  requests?: unknown[];
}

export const DEFAULT_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function once(o: LoadOptions, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: o.url,
    method: o.method ?? 'GET',
    headers: o.headers,
    body: o.body,
    connections: o.connections ?? 50,
    duration: seconds,
    ...(o.requests ? { requests: o.requests } : {}),
  });
}

/** A bounded autocannon run against 127.0.0.1, after a short warm-up. */
export async function measure(o: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(o.url)) throw new Error('benchmarks only target 127.0.0.1');
  if ((o.warmupSeconds ?? 2) > 0) await once(o, o.warmupSeconds ?? 2);
  const r = await once(o, o.seconds ?? DEFAULT_SECONDS);
  return {
    requestsPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    total: r.requests.total,
  };
}

/** Latency percentiles of sequential requests (one at a time), for query-latency scenarios. */
export async function sequentialLatency(
  count: number,
  request: (i: number) => Promise<Response>,
): Promise<{ p50: number; p99: number; non2xx: number }> {
  const times: number[] = [];
  let non2xx = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const res = await request(i);
    await res.arrayBuffer();
    times.push(performance.now() - start);
    if (res.status < 200 || res.status > 299) non2xx++;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), non2xx };
}
