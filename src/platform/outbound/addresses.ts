import { isIP, isIPv4, isIPv6 } from 'node:net';

/**
 * IP addresses as bytes (4 or 16) and the special-purpose ranges Keyward never calls by default
 * (IANA IPv4/IPv6 special-purpose registries: everything not globally reachable).
 */
export type IpBytes = number[];

export interface Cidr {
  bytes: IpBytes;
  prefix: number;
}

/** Bytes of a canonical IP literal (as net.isIP accepts it, without brackets), or null. */
export function ipBytes(ip: string): IpBytes | null {
  if (isIPv4(ip)) return ip.split('.').map(Number);
  if (!isIPv6(ip)) return null;
  let s = ip.split('%')[0].toLowerCase();
  const last = s.lastIndexOf(':');
  const tail = s.slice(last + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number);
    s = `${s.slice(0, last + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = s.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest === undefined ? [] : rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : Array(8 - headGroups.length - restGroups.length).fill('0');
  const groups = [...headGroups, ...zeros, ...restGroups];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

export function parseCidr(text: string): Cidr | null {
  const [ip, bits, extra] = text.split('/');
  if (extra !== undefined) return null;
  const bytes = ipBytes(ip.replace(/^\[|\]$/g, ''));
  if (!bytes) return null;
  const max = bytes.length * 8;
  if (bits === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return { bytes, prefix: Number(bits) };
}

export function inCidr(bytes: IpBytes, cidr: Cidr): boolean {
  if (bytes.length !== cidr.bytes.length) return false;
  for (let bit = 0; bit < cidr.prefix; bit += 8) {
    const take = Math.min(8, cidr.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[bit / 8] & mask) !== (cidr.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

function table(entries: [string, string][]): { cidr: Cidr; what: string }[] {
  return entries.map(([text, what]) => ({ cidr: parseCidr(text)!, what }));
}

const V4 = table([
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved (IETF protocol assignments)'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved (6to4 relay)'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved (benchmarking)'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

const V6 = table([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'reserved (IPv4-compatible)'],
  ['64:ff9b:1::/48', 'reserved (local NAT64)'],
  ['100::/64', 'reserved (discard)'],
  ['2001::/23', 'reserved (IETF protocol assignments, Teredo)'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'reserved (SRv6)'],
  ['fc00::/7', 'private (unique local)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'reserved (site-local)'],
  ['ff00::/8', 'multicast'],
]);

/** IPv6 forms that carry an IPv4 address: the embedded address decides. */
const EMBEDDING: { cidr: Cidr; offset: number }[] = [
  { cidr: parseCidr('::ffff:0:0/96')!, offset: 12 }, // IPv4-mapped
  { cidr: parseCidr('64:ff9b::/96')!, offset: 12 }, // NAT64 well-known prefix
  { cidr: parseCidr('2002::/16')!, offset: 2 }, // 6to4
];

/** Why `bytes` is not a public unicast address (e.g. "loopback"), or null when it is. */
export function specialPurpose(bytes: IpBytes): string | null {
  if (bytes.length === 16) {
    for (const { cidr, offset } of EMBEDDING) {
      if (inCidr(bytes, cidr)) return specialPurpose(bytes.slice(offset, offset + 4));
    }
  }
  const found = (bytes.length === 4 ? V4 : V6).find((r) => inCidr(bytes, r.cidr));
  return found ? found.what : null;
}

/** A URL hostname or resolved address without IPv6 brackets; lowercase, no trailing dot. */
export function bareHost(hostname: string): string {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return isIP(h) ? h : h.replace(/\.+$/, '');
}

/** RFC 6761: `localhost` and every name under it are loopback whatever DNS says. */
export function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * A name made of numbers that is not a canonical IP literal ("0177.1", "0x7f.1", "2130706433"):
 * resolvers may read it as an address, so it is never looked up. (The WHATWG URL parser already
 * rewrites these to dotted quads; this guards callers that pass raw hostnames.)
 */
export function isNumericName(host: string): boolean {
  return !isIP(host) && /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+))*\.?$/i.test(host);
}
