import { isIP } from 'node:net';

/**
 * What kind of address an IP literal is, for the endpoint policy: anything but `public` is refused for
 * an untrusted endpoint (a peer's committed bucket) unless the policy allows private endpoints.
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade-nat'
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

export interface AddressVerdict {
  readonly address: string;
  readonly class: AddressClass;
  /** For IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4): the one it reaches. */
  readonly embedded?: { readonly via: 'ipv4-mapped' | 'nat64' | '6to4'; readonly ipv4: string };
}

/** One prefix of the tables below: `bytes` of the network, its length in bits. */
interface Prefix {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

export function parseIp(address: string): Uint8Array | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return Uint8Array.from(bare.split('.').map(Number));
  if (family === 6) return parseIpv6(bare.split('%')[0]!);
  return undefined;
}

function parseIpv6(text: string): Uint8Array {
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups.
  let groups = text;
  const lastColon = groups.lastIndexOf(':');
  if (groups.includes('.', lastColon)) {
    const v4 = groups.slice(lastColon + 1).split('.').map(Number);
    groups = `${groups.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head, tail] = groups.includes('::') ? groups.split('::') : [groups, undefined];
  const parts = (s: string | undefined) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parts(head);
  const right = parts(tail);
  const words = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

function prefix(cidr: string): Prefix {
  const [address, bits] = cidr.split('/');
  const bytes = parseIp(address!);
  if (bytes === undefined) throw new Error(`not an IP prefix: ${cidr}`);
  return { bytes, bits: bits === undefined ? bytes.length * 8 : Number(bits) };
}

export function inPrefix(ip: Uint8Array, p: Prefix): boolean {
  if (ip.length !== p.bytes.length) return false;
  for (let bit = 0; bit < p.bits; bit += 8) {
    const take = Math.min(8, p.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((ip[bit / 8]! & mask) !== (p.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/** A prefix given as text (`10.0.0.0/8`, `127.0.0.2`, `fd00::/8`); undefined when it is not one. */
export function parsePrefix(cidr: string): Prefix | undefined {
  try {
    const p = prefix(cidr);
    return Number.isInteger(p.bits) && p.bits >= 0 && p.bits <= p.bytes.length * 8 ? p : undefined;
  } catch {
    return undefined;
  }
}

const table = (rows: ReadonlyArray<readonly [string, AddressClass]>) => rows.map(([cidr, cls]) => ({ p: prefix(cidr), cls }));

// IANA's IPv4 special-purpose registry, plus the cloud metadata addresses (first, so they are named so).
const IPV4 = table([
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack instance metadata
  ['168.63.129.16/32', 'metadata'], // Azure wire server (a public-looking address)
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade-nat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments (Oracle's metadata 192.0.0.192 is here)
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // includes the limited broadcast 255.255.255.255
]);

// IPv6: only global unicast (2000::/3) can be public; these are the special blocks inside and around it.
const IPV6 = table([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fd00:ec2::254/128', 'metadata'], // AWS instance metadata over IPv6
  ['64:ff9b:1::/48', 'private'], // local-use NAT64
  ['100::/64', 'reserved'], // discard-only
  ['2001:2::/48', 'benchmarking'],
  ['2001:db8::/32', 'documentation'],
  ['2001::/23', 'reserved'], // IETF protocol assignments: Teredo, ORCHID, ...
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'reserved'], // SRv6 SIDs
  ['fc00::/7', 'private'], // unique local
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
]);
const GLOBAL_UNICAST = prefix('2000::/3');
const MAPPED = prefix('::ffff:0:0/96');
const NAT64 = prefix('64:ff9b::/96');
const SIX_TO_FOUR = prefix('2002::/16');

function classifyV4(ip: Uint8Array): AddressClass {
  return IPV4.find((r) => inPrefix(ip, r.p))?.cls ?? 'public';
}

/**
 * Classifies an IP literal (IPv4, IPv6, bracketed or with a zone). IPv6 forms that reach an IPv4 address
 * (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) take the class of that address, so `::ffff:10.0.0.1`
 * is private and `64:ff9b::169.254.169.254` is metadata. Anything that is not an IP is `reserved`.
 */
export function classifyAddress(address: string): AddressVerdict {
  const ip = parseIp(address);
  if (ip === undefined) return { address, class: 'reserved' };
  if (ip.length === 4) return { address, class: classifyV4(ip) };
  const via = inPrefix(ip, MAPPED) ? 'ipv4-mapped' : inPrefix(ip, NAT64) ? 'nat64' : inPrefix(ip, SIX_TO_FOUR) ? '6to4' : undefined;
  if (via !== undefined) {
    const v4 = via === '6to4' ? ip.subarray(2, 6) : ip.subarray(12, 16);
    return { address, class: classifyV4(v4), embedded: { via, ipv4: [...v4].join('.') } };
  }
  const special = IPV6.find((r) => inPrefix(ip, r.p))?.cls;
  if (special !== undefined) return { address, class: special };
  // Outside 2000::/3 everything is unassigned or reserved (including the deprecated IPv4-compatible ::/96).
  return { address, class: inPrefix(ip, GLOBAL_UNICAST) ? 'public' : 'reserved' };
}
