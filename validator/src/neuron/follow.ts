import type { Logger } from '@crucible/core';
import { chainReader, readNeuronRows, subnetOwnerHotkey, type ChainClient } from '@crucible/chain';
import { CheckpointFollower, checkpointSignerPolicy, checkpointSources, type Manifest, type SignerPolicy, type SyncResult } from '@crucible/protocol';
import type { PeerStores } from '@crucible/storage';

/** A CheckpointFollower with the protocol's signer policy over this chain. */
export function createFollower(client: ChainClient, netuid: number, logger?: Logger, keep = 4): { follower: CheckpointFollower; policy: SignerPolicy } {
  const policy = checkpointSignerPolicy(chainReader(client), netuid);
  return { follower: new CheckpointFollower({ policy, keep, ...(logger ? { logger } : {}) }), policy };
}

/** One sync over every permitted validator's and the owner's committed bucket. */
export async function syncFollower(client: ChainClient, netuid: number, follower: CheckpointFollower, peers: PeerStores): Promise<SyncResult> {
  const [rows, owner] = await Promise.all([readNeuronRows(client, netuid), subnetOwnerHotkey(client, netuid)]);
  return follower.sync(checkpointSources(rows, owner, peers));
}

/**
 * The follower's accepted chain with each checkpoint's signer (what prepareWindow needs to point workers
 * at the right bucket): the held checkpoint's verified signer, else the policy's answer for it.
 */
export async function chainWithSigners(follower: CheckpointFollower, policy?: SignerPolicy): Promise<Array<{ manifest: Manifest; signer?: string }>> {
  return Promise.all(
    follower.manifests().map(async (manifest) => {
      const signer = follower.held(manifest.window)?.signer ?? (await policy?.authorizedSigner(manifest));
      return signer ? { manifest, signer } : { manifest };
    }),
  );
}
