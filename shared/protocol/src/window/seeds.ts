import { toHex } from '@crucible/core';
import { deriveSeed, drawPages } from '@crucible/model';
import { seedDomains } from './seedDomains.js';

/**
 * The seeds of a window, every one recomputable by anyone from chain state and public names
 * (derivations in seedDomains.ts).
 *
 * The window seed uses the hash of the window's first block, so nobody knows a window's pages before the
 * window starts and no miner can pre-train on them. The evaluation seed adds only the validator's public
 * hotkey: it separates validators' samples but is public at window start too, so it must not be what
 * keeps evaluation sequences unpredictable.
 */
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
  return toHex(deriveSeed(seedDomains.windowSeed, hexBytes(input.genesisHash), input.netuid, input.window, hexBytes(input.windowBlockHash)));
}

export function evaluationSeed(seed: `0x${string}`, validatorHotkey: string): `0x${string}` {
  return toHex(deriveSeed(seedDomains.evaluationSeed, hexBytes(seed), validatorHotkey));
}

/** The `count` training pages (of `totalPages`) assigned to `hotkey` in `window`. */
export function assignPages(seed: string, window: number, hotkey: string, count: number, totalPages: number): number[] {
  return drawPages(deriveSeed(seedDomains.assignPages, seed, window, hotkey, totalPages), count, totalPages);
}

/** The PRNG seed of inner step `step` (0-based) of `hotkey` in `window`: validators redraw the same batches. */
export function trainingBatchSeed(seed: string, window: number, hotkey: string, step: number): Uint8Array {
  return deriveSeed(seedDomains.trainingBatch, seed, window, hotkey, step);
}
