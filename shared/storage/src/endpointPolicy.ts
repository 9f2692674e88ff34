import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { CrucibleError } from '@crucible/core';
import { classifyAddress, inPrefix, parseIp, parsePrefix } from './addressClass.js';

/**
 * Which endpoints a store for someone else's bucket may talk to. Every miner commits the endpoint its
 * updates are read from, so without a policy anyone could aim every validator, worker and dashboard at
 * an internal address (Redis, a metadata service, an admin port). By default only `https` endpoints on
 * public addresses are accepted; a local subnet allows loopback explicitly
 * (`--storage.allow-private-endpoints`). Addresses are checked on every connection (after each DNS
 * lookup, so rebinding a name to an internal address does not get around it), not just once.
 */
export interface EndpointPolicy {
  /**
   * Accept loopback, private (RFC 1918, CGNAT), link-local, unique-local and other non-public addresses,
   * and plain `http` (a local subnet). Cloud metadata addresses stay refused even then.
   */
  readonly allowPrivateEndpoints: boolean;
  /** Plain `http://` endpoints (default: allowed exactly when private endpoints are). */
  readonly allowHttp?: boolean;
  /**
   * Addresses or prefixes accepted whatever their class, optionally on one port only (`10.1.2.3`,
   * `fd12::/16`, `127.0.0.1:9100`, `[::1]:9100`): one internal S3-compatible server on a private
   * network, or a local subnet's S3 server without the Redis next to it on the same address.
   */
  readonly allowAddresses?: readonly string[];
}

interface AllowEntry {
  readonly prefix: NonNullable<ReturnType<typeof parsePrefix>>;
  readonly port: number | undefined;
}

/** `10.0.0.0/8`, `127.0.0.1:9100`, `[::1]:9100`, `fd00::/8`; undefined when it is none of these. */
export function parseAllowEntry(entry: string): AllowEntry | undefined {
  let address = entry.trim();
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  const v4Port = /^([0-9./]+):(\d+)$/.exec(address);
  if (bracketed) [address, port] = [bracketed[1]!, bracketed[2] === undefined ? undefined : Number(bracketed[2])];
  else if (v4Port) [address, port] = [v4Port[1]!, Number(v4Port[2])];
  const prefix = parsePrefix(address);
  if (prefix === undefined || (port !== undefined && !(port > 0 && port < 65536))) return undefined;
  return { prefix, port };
}

function allowedExplicitly(policy: EndpointPolicy, address: string, port: number | undefined): boolean {
  const ip = parseIp(address);
  if (ip === undefined) return false;
  return (policy.allowAddresses ?? []).some((text) => {
    const entry = parseAllowEntry(text);
    return entry !== undefined && inPrefix(ip, entry.prefix) && (entry.port === undefined || entry.port === port);
  });
}

/** The default: https only, public addresses only. */
export const publicEndpointsOnly: EndpointPolicy = Object.freeze({ allowPrivateEndpoints: false });

/** The policy the storage flags ask for (`--storage.allow-private-endpoints`, `--storage.allow-addresses`). */
export function endpointPolicyFromFlags(flags: { readonly allowPrivateEndpoints: boolean; readonly allowAddresses?: readonly string[] }): EndpointPolicy {
  const allowAddresses = flags.allowAddresses ?? [];
  if (allowAddresses.length > 0) return { allowPrivateEndpoints: flags.allowPrivateEndpoints, allowHttp: true, allowAddresses };
  return flags.allowPrivateEndpoints ? { allowPrivateEndpoints: true } : publicEndpointsOnly;
}

export type ForbiddenReason = 'url' | 'scheme' | 'address' | 'redirect' | 'read-only';

export function forbidden(reason: ForbiddenReason, message: string, details: Record<string, unknown> = {}): CrucibleError {
  return new CrucibleError('STORAGE_FORBIDDEN', message, { details: { reason, ...details } });
}

/** Why the policy refuses a connection to this IP address (and port), or undefined when it may be used. */
export function addressRefusal(policy: EndpointPolicy, address: string, host?: string, port?: number): CrucibleError | undefined {
  if (allowedExplicitly(policy, address, port)) return undefined;
  const verdict = classifyAddress(address);
  if (verdict.class === 'public') return undefined;
  if (policy.allowPrivateEndpoints && verdict.class !== 'metadata') return undefined;
  const via = verdict.embedded ? ` (${verdict.embedded.via} of ${verdict.embedded.ipv4})` : '';
  return forbidden('address', `${host !== undefined && host !== address ? `${host} resolves to ` : ''}${address}, a ${verdict.class} address${via}; only public addresses are allowed for a peer's storage endpoint`, {
    address,
    ...(host !== undefined ? { host } : {}),
    ...(port !== undefined ? { port } : {}),
    class: verdict.class,
    ...(verdict.embedded ? { embedded: verdict.embedded } : {}),
  });
}

/**
 * Why the policy refuses an endpoint URL outright (scheme, credentials or path in the URL, an IP literal
 * of a forbidden class), or undefined. Host names are checked later, on every connection.
 */
export function endpointRefusal(policy: EndpointPolicy, endpoint: string): CrucibleError | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return forbidden('url', `storage endpoint ${JSON.stringify(endpoint)} is not a URL`, { endpoint });
  }
  const allowHttp = policy.allowHttp ?? policy.allowPrivateEndpoints;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowHttp)) {
    return forbidden('scheme', `storage endpoint ${url.origin} uses ${url.protocol.slice(0, -1)}; only https is allowed`, { endpoint: url.origin, scheme: url.protocol.slice(0, -1) });
  }
  // An S3 endpoint is an origin: a path, query or user info would let a pointer aim signed requests at
  // an arbitrary resource of the host.
  if (url.username !== '' || url.password !== '' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return forbidden('url', `storage endpoint must be a bare origin (scheme, host, port), got ${url.origin}${url.pathname}${url.search ? '?…' : ''}`, { endpoint: url.origin });
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (isIP(host) !== 0) return addressRefusal(policy, host, undefined, port);
  return undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for sockets (net.connect's option) that resolves every address of the name and refuses the
 * connection when any of them is forbidden; the connection then goes only to the addresses checked here.
 */
export function guardedLookup(policy: EndpointPolicy, base: LookupFunction = dnsLookup as unknown as LookupFunction, port?: number): LookupFunction {
  return (hostname, options, callback) => {
    const opts: LookupOptions = typeof options === 'object' && options !== null ? options : {};
    base(hostname, { ...opts, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const all = addresses as LookupAddress[];
      for (const a of all) {
        const refusal = addressRefusal(policy, a.address, hostname, port);
        if (refusal) return callback(refusal as unknown as NodeJS.ErrnoException, []);
      }
      if (all.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      if (opts.all === true) return callback(null, all);
      callback(null, all[0]!.address, all[0]!.family);
    });
  };
}
