import { BlockList, isIP, isIPv4 } from 'node:net';

/** Why an address or host name is off limits to user-supplied endpoints. */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'CGNAT'
  | 'metadata'
  | 'reserved'
  | 'multicast';

type Range = readonly [network: string, prefix: number];

// Checked in order: the first matching class names the address.
const IPV4_CLASSES: ReadonlyArray<readonly [AddressClass, readonly Range[]]> = [
  ['metadata', [['169.254.169.254', 32], ['100.100.100.200', 32]]],
  ['loopback', [['127.0.0.0', 8]]],
  ['private', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]]],
  ['CGNAT', [['100.64.0.0', 10]]],
  ['link-local', [['169.254.0.0', 16]]],
  ['multicast', [['224.0.0.0', 4]]],
  [
    'reserved',
    [
      ['0.0.0.0', 8],
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['240.0.0.0', 4],
    ],
  ],
];

// Embedded-IPv4 forms (::/96, ::ffff:0:0/96, 64:ff9b::/96, 2002::/16) are handled by
// extraction before these ranges are consulted.
const IPV6_CLASSES: ReadonlyArray<readonly [AddressClass, readonly Range[]]> = [
  ['metadata', [['fd00:ec2::254', 128]]],
  ['loopback', [['::1', 128]]],
  // fec0::/10 is deprecated site-local and 64:ff9b:1::/48 local-use NAT64 (RFC 8215):
  // both reach the operator's own network.
  ['private', [['fc00::', 7], ['fec0::', 10], ['64:ff9b:1::', 48]]],
  ['link-local', [['fe80::', 10]]],
  ['multicast', [['ff00::', 8]]],
  ['reserved', [['::', 128], ['2001:db8::', 32]]],
];

const IPV4_LISTS = IPV4_CLASSES.map(([cls, ranges]) => [cls, blockListOf(ranges, 'ipv4')] as const);
const IPV6_LISTS = IPV6_CLASSES.map(([cls, ranges]) => [cls, blockListOf(ranges, 'ipv6')] as const);

const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** True when `ip` must not be reached by a user-supplied endpoint. */
export function isBlockedAddress(ip: string): boolean {
  return classifyAddress(ip) !== null;
}

/**
 * The class of a blocked address, or null for a routable public address. A string that is
 * not an IP address is classed `reserved`, so a caller passing a host name fails closed;
 * check names with {@link classifyHostName}.
 */
export function classifyAddress(ip: string): AddressClass | null {
  const address = ip.split('%')[0];
  if (isIPv4(address)) return classifyIPv4(address);
  if (isIP(address) === 6) return classifyIPv6(address);
  return 'reserved';
}

/** The class of a host name refused by name alone (it may not even resolve here), or null. */
export function classifyHostName(name: string): AddressClass | null {
  const host = name.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.has(host)) return 'metadata';
  return null;
}

export function isBlockedHostName(name: string): boolean {
  return classifyHostName(name) !== null;
}

/** "a loopback address", for user-facing sentences. */
export function describeAddressClass(cls: AddressClass): string {
  return `a ${cls} address`;
}

function classifyIPv4(ip: string): AddressClass | null {
  return IPV4_LISTS.find(([, list]) => list.check(ip, 'ipv4'))?.[0] ?? null;
}

function classifyIPv6(ip: string): AddressClass | null {
  const groups = ipv6Groups(ip);
  const embedded = embeddedIPv4(groups);
  if (embedded !== null && !isLoopbackOrUnspecified(groups)) return classifyIPv4(embedded);
  return IPV6_LISTS.find(([, list]) => list.check(ip, 'ipv6'))?.[0] ?? null;
}

function embeddedIPv4(g: readonly number[]): string | null {
  const zero = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  // ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (IPv4-mapped)
  if (zero(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return dottedQuad(g[6], g[7]);
  // ::ffff:0:a.b.c.d (IPv4-translated, RFC 2765)
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return dottedQuad(g[6], g[7]);
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix, RFC 6052)
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return dottedQuad(g[6], g[7]);
  // 2002:AABB:CCDD::/48 (6to4, RFC 3056)
  if (g[0] === 0x2002) return dottedQuad(g[1], g[2]);
  return null;
}

function isLoopbackOrUnspecified(g: readonly number[]): boolean {
  return g.slice(0, 7).every((x) => x === 0) && (g[7] === 0 || g[7] === 1);
}

function dottedQuad(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of an address already known to be valid IPv6. */
function ipv6Groups(ip: string): number[] {
  const text = withHexTail(ip);
  const [head, tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  if (tail === undefined) return headGroups.map((x) => parseInt(x, 16));
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((x) => parseInt(x, 16));
}

function withHexTail(ip: string): string {
  const lastColon = ip.lastIndexOf(':');
  const tail = ip.slice(lastColon + 1);
  if (!tail.includes('.')) return ip;
  const [a, b, c, d] = tail.split('.').map(Number);
  return `${ip.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function blockListOf(ranges: readonly Range[], family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, family);
  return list;
}
