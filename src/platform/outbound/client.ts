import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, errors as undiciErrors, request as undiciRequest } from 'undici';
import { bareHost } from './addresses.js';
import { UpstreamPolicy, type AllowList } from './policy.js';

/** Resolves a host name to every address it has (injectable: tests simulate DNS rebinding). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface OutboundOptions {
  allow?: AllowList;
  resolve?: Resolver;
  /** TCP + TLS connect, ms. */
  connectTimeoutMs?: number;
  /** The whole request, from connect to the last body byte, ms. */
  timeoutMs?: number;
  /** Response bodies larger than this are refused while streaming, bytes. */
  maxBytes?: number;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The policy refused the destination (scheme, name or address). Message: safe to show. */
export class OutboundRefused extends Error {
  readonly code = 'outbound_refused';
}

/** The request was allowed but failed: unreachable, timeout, or an answer over the size limit. */
export class OutboundFailed extends Error {
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'timeout' | 'too_large',
  ) {
    super(message);
  }
}

export const OUTBOUND_DEFAULTS = { connectTimeoutMs: 5_000, timeoutMs: 10_000, maxBytes: 1_048_576 };

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Every HTTP request Keyward makes to an upstream goes through here. The destination is checked
 * on the URL, then on every address the name resolves to, inside the connector (so the address
 * checked is the address connected to: a rebinding DNS answer cannot slip in between). Redirects
 * are never followed (a 3xx is handed back as is); time and response size are bounded.
 */
export class Outbound {
  readonly policy: UpstreamPolicy;
  private readonly agent: Agent;
  private readonly options: Required<Omit<OutboundOptions, 'allow' | 'resolve'>>;

  constructor(options: OutboundOptions = {}) {
    this.policy = new UpstreamPolicy(options.allow);
    this.options = {
      connectTimeoutMs: options.connectTimeoutMs ?? OUTBOUND_DEFAULTS.connectTimeoutMs,
      timeoutMs: options.timeoutMs ?? OUTBOUND_DEFAULTS.timeoutMs,
      maxBytes: options.maxBytes ?? OUTBOUND_DEFAULTS.maxBytes,
    };
    const resolve = options.resolve ?? systemResolver;
    const base = buildConnector({
      timeout: this.options.connectTimeoutMs,
      lookup: this.checkedLookup(resolve),
      // One address family at a time: every candidate address went through the lookup above.
      autoSelectFamily: false,
    } as buildConnector.BuildOptions);
    this.agent = new Agent({
      connect: (opts, callback) => {
        // Node skips `lookup` for IP literals: check those here.
        const host = bareHost(opts.hostname);
        const refused = isIP(host) ? this.policy.addressRefusal(host, host) : this.policy.hostRefusal(host);
        if (refused) return callback(new OutboundRefused(`The upstream host ${refused}.`), null);
        return base(opts, callback);
      },
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
  }

  private checkedLookup(resolve: Resolver): LookupFunction {
    return (hostname, options, callback) => {
      const all = (options as { all?: boolean }).all === true;
      resolve(hostname)
        .then((found) => {
          if (found.length === 0)
            throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          for (const { address } of found) {
            const refused = this.policy.addressRefusal(hostname, address);
            if (refused)
              throw new OutboundRefused(
                `The upstream host ${hostname} resolves to an address that ${refused.replace(/^names/, 'is')}.`,
              );
          }
          if (all) (callback as (e: null, a: typeof found) => void)(null, found);
          else callback(null, found[0].address, found[0].family);
        })
        .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
    };
  }

  /** One request; the body is read whole (up to maxBytes). Throws OutboundRefused or OutboundFailed. */
  async request(url: string, options: RequestOptions = {}): Promise<OutboundResponse> {
    const refused = this.policy.urlRefusal(url);
    if (refused) throw new OutboundRefused(`The upstream URL ${refused}.`);
    const maxBytes = options.maxBytes ?? this.options.maxBytes;
    const signal = AbortSignal.timeout(options.timeoutMs ?? this.options.timeoutMs);
    try {
      const res = await undiciRequest(url, {
        dispatcher: this.agent,
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body,
        signal,
      });
      // Destroying the body on the size limit emits an error nobody else awaits.
      res.body.on('error', () => {});
      const declared = Number(res.headers['content-length']);
      const chunks: Buffer[] = [];
      let size = 0;
      if (declared > maxBytes) res.body.destroy();
      else
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) {
            res.body.destroy();
            break;
          }
          chunks.push(chunk);
        }
      if (declared > maxBytes || size > maxBytes)
        throw new OutboundFailed(`The upstream answer is larger than ${maxBytes} bytes.`, 'too_large');
      return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
    } catch (error) {
      throw translate(error, signal);
    }
  }

  /** GET (or POST) expecting JSON: the parsed body, or undefined when it is not JSON. */
  async fetchJson(url: string, options: RequestOptions = {}): Promise<{ status: number; json: unknown }> {
    const res = await this.request(url, {
      ...options,
      headers: { accept: 'application/json', ...options.headers },
    });
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function translate(error: unknown, signal: AbortSignal): Error {
  if (error instanceof OutboundRefused || error instanceof OutboundFailed) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof OutboundRefused) return cause;
  if (
    signal.aborted ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  )
    return new OutboundFailed('The upstream did not answer in time.', 'timeout');
  return new OutboundFailed('The upstream could not be reached.', 'unreachable');
}
