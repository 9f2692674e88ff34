import { deriveSeed } from '@crucible/model';
import { toHex } from '@crucible/core';

/**
 * Seeds every party can recompute, derived from chain state and the window.
 *
 * windowSeed = blake2b-256(deriveSeed encoding of: "crucible/window-seed/v1", genesis hash, netuid,
 *   window, hash of the window's first block)
 *
 * The first block's hash makes a window's assignment unknowable before the window starts, so no miner
 * can pre-train on future pages. The evaluation seed adds the validator's hotkey: each validator's
 * random-data batch differs and a miner cannot predict it.
 */
export const WINDOW_SEED_DOMAIN = 'crucible/window-seed/v1';
export const EVALUATION_SEED_DOMAIN = 'crucible/evaluation-seed/v1';

export interface WindowSeedInput {
  genesisHash: `0x${string}`;
  netuid: number;
  window: number;
  /** Hash of block `windowStartBlock(window)`. */
  windowBlockHash: `0x${string}`;
}

function hexBytes(hex: `0x${string}`): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}

export function windowSeed(input: WindowSeedInput): `0x${string}` {
  return toHex(deriveSeed(WINDOW_SEED_DOMAIN, hexBytes(input.genesisHash), input.netuid, input.window, hexBytes(input.windowBlockHash)));
}

export function evaluationSeed(seed: `0x${string}`, validatorHotkey: string): `0x${string}` {
  return toHex(deriveSeed(EVALUATION_SEED_DOMAIN, hexBytes(seed), validatorHotkey));
}
