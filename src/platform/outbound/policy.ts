import { isIP } from 'node:net';
import {
  bareHost,
  inCidr,
  ipBytes,
  isLocalhostName,
  isNumericName,
  parseCidr,
  specialPurpose,
  type Cidr,
} from './addresses.js';

/** The operator's KEYWARD_UPSTREAM_ALLOW: host names (exact) and IP addresses or CIDR ranges. */
export interface AllowList {
  hosts: Set<string>;
  ranges: Cidr[];
}

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Parses the comma-separated list; throws Error naming the first bad entry. */
export function parseAllowList(raw: string | undefined): AllowList {
  const list: AllowList = { hosts: new Set(), ranges: [] };
  for (const item of (raw ?? '').split(',')) {
    const entry = item.trim().toLowerCase();
    if (entry === '') continue;
    const cidr = parseCidr(entry);
    if (cidr) list.ranges.push(cidr);
    else if (!entry.includes('/') && !isNumericName(entry) && HOST_NAME.test(bareHost(entry)))
      list.hosts.add(bareHost(entry));
    else
      throw new Error(
        `${JSON.stringify(item.trim())} is neither a host name, an IP address nor a CIDR range`,
      );
  }
  return list;
}

/**
 * Where Keyward may send a request: https to public addresses only, unless the operator allowed
 * the host (by name, or its address by range), which also permits plain http to it. Decisions are
 * made on the URL (before connecting) and again on every address the name resolves to.
 */
export class UpstreamPolicy {
  constructor(readonly allow: AllowList = { hosts: new Set(), ranges: [] }) {}

  private allowedAddress(ip: string): boolean {
    const bytes = ipBytes(ip);
    return !!bytes && this.allow.ranges.some((r) => inCidr(bytes, r));
  }

  /** The host itself is allow-listed: by name, or as a literal address inside an allowed range. */
  allowsHost(hostname: string): boolean {
    const host = bareHost(hostname);
    return this.allow.hosts.has(host) || (isIP(host) !== 0 && this.allowedAddress(host));
  }

  /** Why a request to this URL is refused before any connection (scheme, literal address, name), or null. */
  urlRefusal(url: string | URL): string | null {
    let parsed: URL;
    try {
      parsed = typeof url === 'string' ? new URL(url) : url;
    } catch {
      return 'is not an absolute URL';
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an https URL';
    if (parsed.username || parsed.password) return 'must not carry credentials';
    if (parsed.protocol === 'http:' && !this.allowsHost(parsed.hostname))
      return 'must use https (plain http is accepted only for hosts listed in KEYWARD_UPSTREAM_ALLOW)';
    return this.hostRefusal(parsed.hostname);
  }

  /** Why a host (name or literal address) is refused before resolution, or null. */
  hostRefusal(hostname: string): string | null {
    const host = bareHost(hostname);
    if (this.allowsHost(host)) return null;
    if (isIP(host)) return this.addressRefusal(host, host);
    if (isLocalhostName(host)) return `names a loopback host (${host})${UNLESS}`;
    if (isNumericName(host)) return `names a numeric host that is not a plain IP address (${host})`;
    return null;
  }

  /** Why connecting to `address` (resolved from `hostname`) is refused, or null. */
  addressRefusal(hostname: string, address: string): string | null {
    if (this.allow.hosts.has(bareHost(hostname)) || this.allowedAddress(address)) return null;
    const bytes = ipBytes(bareHost(address));
    if (!bytes) return `resolves to an unusable address (${address})`;
    const what = specialPurpose(bytes);
    return what ? `names a ${what} address (${address})${UNLESS}` : null;
  }
}

const UNLESS = ', which Keyward does not call unless KEYWARD_UPSTREAM_ALLOW lists it';
