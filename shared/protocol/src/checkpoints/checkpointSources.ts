import { pointerFromCommitment, type PeerStores } from '@crucible/storage';
import type { CheckpointSource } from './checkpointFollower.js';

/** One uid's row of chain state, as far as finding checkpoints is concerned. */
export interface NeuronRow {
  hotkey: string;
  validatorPermit: boolean;
  commitment: { data: Uint8Array } | null;
}

/**
 * The buckets checkpoints may be in: every neuron's with a committed bucket, since an aggregator that
 * has lost its permit since (its stake moved) still holds the checkpoints it was elected for. Only
 * validator-permitted neurons' and the owner's are searched for checkpoints signed by someone else.
 * An extra source can't inject anything (the follower checks each checkpoint's signer).
 */
export function checkpointSources(rows: readonly NeuronRow[], ownerHotkey: string | undefined, stores: PeerStores): CheckpointSource[] {
  const sources: CheckpointSource[] = [];
  for (const row of rows) {
    const pointer = pointerFromCommitment(row.commitment);
    const store = pointer ? stores.get(pointer) : undefined;
    if (store) sources.push({ hotkey: row.hotkey, store, searched: row.validatorPermit || row.hotkey === ownerHotkey });
  }
  return sources;
}
