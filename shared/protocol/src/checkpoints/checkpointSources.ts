import { pointerFromCommitment, type PeerStores } from '@crucible/storage';
import type { CheckpointSource } from './checkpointFollower.js';

/** One uid's row of chain state, as far as finding checkpoints is concerned. */
export interface NeuronRow {
  hotkey: string;
  validatorPermit: boolean;
  commitment: { data: Uint8Array } | null;
}

/**
 * The buckets checkpoints may be in: every validator-permitted neuron's and the subnet owner's. An
 * extra source can't inject anything (the follower checks each checkpoint's signer), so this errs on
 * the side of looking in more places.
 */
export function checkpointSources(rows: readonly NeuronRow[], ownerHotkey: string | undefined, stores: PeerStores): CheckpointSource[] {
  const sources: CheckpointSource[] = [];
  for (const row of rows) {
    if (!(row.validatorPermit || row.hotkey === ownerHotkey)) continue;
    const pointer = pointerFromCommitment(row.commitment);
    const store = pointer ? stores.get(pointer) : undefined;
    if (store) sources.push({ hotkey: row.hotkey, store });
  }
  return sources;
}
