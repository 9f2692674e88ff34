import { toHex } from '@crucible/core';
import { deriveSeed, drawPages } from '@crucible/model';
import { seedDomains } from './seedDomains.js';

/**
 * The seeds of a window, every one recomputable by anyone from chain state and public names
 * (derivations in seedDomains.ts).
 *
 * The window seed uses the hash of the window's first block, so nobody knows a window's pages before the
 * window starts and no miner can pre-train on them. The evaluation seed adds the hash of the window's
 * reveal block (revealBlocks after the upload deadline) and the validator's hotkey: it does not exist
 * until every update of the window is fixed (sealed, first seen by validators before the deadline), so
 * no miner can fit the sequences it will be evaluated on; afterwards anyone can recompute it (replay).
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

export function evaluationSeed(seed: `0x${string}`, revealBlockHash: `0x${string}`, validatorHotkey: string): `0x${string}` {
  return toHex(deriveSeed(seedDomains.evaluationSeed, hexBytes(seed), hexBytes(revealBlockHash), validatorHotkey));
}

/** The `count` training pages (of `totalPages`) assigned to `hotkey` in `window`. */
export function assignPages(seed: string, window: number, hotkey: string, count: number, totalPages: number): number[] {
  return drawPages(deriveSeed(seedDomains.assignPages, seed, window, hotkey, totalPages), count, totalPages);
}

/** The PRNG seed of inner step `step` (0-based) of `hotkey` in `window`: validators redraw the same batches. */
export function trainingBatchSeed(seed: string, window: number, hotkey: string, step: number): Uint8Array {
  return deriveSeed(seedDomains.trainingBatch, seed, window, hotkey, step);
}
