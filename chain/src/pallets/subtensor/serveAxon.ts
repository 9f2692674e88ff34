/** `serve_axon` at spec 233 (subtensor `do_serve_axon`). */
import type { DispatchContext } from '../../runtime/pallet.js';
import { uidOf } from './neurons.js';
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

export function serveAxon(ctx: DispatchContext, a: AxonArgs): void {
  const hotkey = ctx.ensureSigned();
  if (uidOf(ctx.storage, a.netuid, hotkey) === undefined) throw ctx.error('HotKeyNotRegisteredInNetwork');
  if (a.ipType !== 4 && a.ipType !== 6) throw ctx.error('InvalidIpType');
  if (!validIp(a.ip, a.ipType)) throw ctx.error('InvalidIpAddress');
  if (a.port === 0) throw ctx.error('InvalidPort');
  const previous = ctx.storage.tryGet(Axons, [a.netuid, hotkey]);
  const lastBlock = previous === undefined ? 0n : BigInt((previous as unknown as { block: { toString(): string } }).block.toString());
  const limit = BigInt(ctx.storage.get(ServingRateLimit, [a.netuid]).toString());
  if (lastBlock !== 0n && BigInt(ctx.blockNumber) - lastBlock < limit) throw ctx.error('ServingRateLimitExceeded');
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
