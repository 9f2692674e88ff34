/**
 * Each block's alpha emission (`emit_to_subnets` at spec 424), in U96F32 exactly as the chain rounds it.
 *
 * Alpha flows only to subnets whose owner called `start_call` (FirstEmissionBlockNumber set,
 * SubtokenEnabled) and that allow registration. Per block and subnet `alpha_out` is minted into
 * `SubnetAlphaOut`; the owner cut `alpha_out · SubnetOwnerCut/65535` goes to PendingOwnerCut (when
 * OwnerCutEnabled); of the rest half is PendingServerEmission (miners) and half PendingValidatorEmission
 * (validators; root dividends would come out of it, but the devnet has no root stake). Every pending
 * amount is floored separately, as the chain does, so a block can leave up to a couple of rao unminted.
 *
 * Devnet simplification: `alpha_out` is 1 alpha per block per subnet (no halving, no price-based
 * split), and no TAO is injected into the pools (the chain injects TAO only where root set
 * SubnetEmissionEnabled, which the devnet never does).
 */
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { floor, fromInt, half, mul, ratio, sub, U96F32 } from './fixedPoint.js';
import { addU64, big, flag, num } from './read.js';
import {
  FirstEmissionBlockNumber,
  NetworkRegistrationAllowed,
  OwnerCutEnabled,
  PendingOwnerCut,
  PendingServerEmission,
  PendingValidatorEmission,
  SubnetAlphaOut,
  SubnetAlphaOutEmission,
  SubnetOwnerCut,
  SubtokenEnabled,
} from './subtensorStorage.js';

/** Alpha minted per block for each emitting subnet (rao). */
export const ALPHA_PER_BLOCK = 1_000_000_000n;

export interface BlockEmissionSplit {
  readonly ownerCut: bigint;
  readonly server: bigint;
  readonly validator: bigint;
}

/** The chain's split of one block's `alphaOut` (each part floored on its own). */
export function splitBlockEmission(alphaOut: bigint, subnetOwnerCut: number, ownerCutEnabled = true): BlockEmissionSplit {
  let out = fromInt(alphaOut, U96F32);
  let ownerCut = 0n;
  if (ownerCutEnabled) {
    const cut = mul(out, ratio(BigInt(subnetOwnerCut), 65535n, U96F32));
    out = sub(out, cut);
    ownerCut = floor(cut);
  }
  const server = half(out);
  const validator = sub(out, server);
  return { ownerCut, server: floor(server), validator: floor(validator) };
}

export function emitsAlpha(s: StorageAccess, netuid: number): boolean {
  return s.tryGet(FirstEmissionBlockNumber, [netuid]) !== undefined && flag(s, SubtokenEnabled, [netuid]) && flag(s, NetworkRegistrationAllowed, [netuid]);
}

/** Mints this block's alpha for `netuid` and adds it to the pending pots. */
export function emitToSubnet(s: StorageAccess, netuid: number): void {
  s.set(SubnetAlphaOutEmission, [netuid], ALPHA_PER_BLOCK);
  addU64(s, SubnetAlphaOut, [netuid], ALPHA_PER_BLOCK);
  const split = splitBlockEmission(ALPHA_PER_BLOCK, num(s, SubnetOwnerCut), flag(s, OwnerCutEnabled, [netuid]));
  if (split.ownerCut > 0n) s.set(PendingOwnerCut, [netuid], big(s, PendingOwnerCut, [netuid]) + split.ownerCut);
  s.set(PendingServerEmission, [netuid], big(s, PendingServerEmission, [netuid]) + split.server);
  s.set(PendingValidatorEmission, [netuid], big(s, PendingValidatorEmission, [netuid]) + split.validator);
}
