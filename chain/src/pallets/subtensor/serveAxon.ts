/** `serve_axon` at spec 424 (`validate_serve_axon` + `do_serve_axon`); the checks also run in the pool. */
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { uidOf } from './neurons.js';
import { big } from './read.js';
import { Axons, ServingRateLimit } from './subtensorStorage.js';

export interface AxonArgs {
  netuid: number;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}

const IPV4_LOOPBACK = 0x7f000001n;
const IPV6_MAX = (1n << 128n) - 1n;

function validIp(ip: bigint, ipType: number): boolean {
  if (ip === 0n) return true;
  if (ipType === 4) return ip < 1n << 32n && ip !== IPV4_LOOPBACK;
  return ip !== 1n && ip !== IPV6_MAX;
}

/** The SubtensorModule error a serve_axon would fail with, or undefined when it is valid. */
export function serveAxonError(s: StorageAccess, who: AccountId, a: AxonArgs, block: number): string | undefined {
  if (uidOf(s, a.netuid, who) === undefined) return 'HotKeyNotRegisteredInNetwork';
  if (a.ipType !== 4 && a.ipType !== 6) return 'InvalidIpType';
  if (!validIp(a.ip, a.ipType)) return 'InvalidIpAddress';
  if (a.port === 0) return 'InvalidPort';
  const previous = s.tryGet(Axons, [a.netuid, who]);
  const lastBlock = previous === undefined ? 0n : BigInt((previous as unknown as { block: { toString(): string } }).block.toString());
  if (lastBlock !== 0n && BigInt(block) - lastBlock < big(s, ServingRateLimit, [a.netuid])) return 'ServingRateLimitExceeded';
  return undefined;
}

export function serveAxon(ctx: DispatchContext, a: AxonArgs): void {
  const hotkey = ctx.ensureSigned();
  const error = serveAxonError(ctx.storage, hotkey, a, ctx.blockNumber);
  if (error !== undefined) throw ctx.error(error);
  ctx.storage.set(Axons, [a.netuid, hotkey], {
    block: BigInt(ctx.blockNumber),
    version: a.version,
    ip: a.ip,
    port: a.port,
    ipType: a.ipType,
    protocol: a.protocol,
    placeholder1: a.placeholder1,
    placeholder2: a.placeholder2,
  });
  ctx.emit('AxonServed', [a.netuid, hotkey]);
}
