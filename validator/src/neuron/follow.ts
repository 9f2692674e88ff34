import type { Logger } from '@crucible/core';
import { checkpointSignerPolicy, checkpointSources, getMetagraph, subnetOwnerHotkey, type ChainClient } from '@crucible/chain';
import { CheckpointFollower, type Manifest, type SignerPolicy, type SyncResult } from '@crucible/protocol';

/**
 * A CheckpointFollower whose signer policy reads blocksPerWindow from the manifest being checked (the
 * run configuration travels in every manifest, so the validator needs no flag for it).
 */
export function createFollower(client: ChainClient, netuid: number, logger?: Logger, keep = 4): CheckpointFollower {
  return createFollowerWithPolicy(client, netuid, logger, keep).follower;
}

export function createFollowerWithPolicy(client: ChainClient, netuid: number, logger?: Logger, keep = 4): { follower: CheckpointFollower; policy: SignerPolicy } {
  const policies = new Map<number, SignerPolicy>();
  const policy: SignerPolicy = {
    authorizedSigner(manifest: Manifest) {
      const bpw = manifest.run.window.blocksPerWindow;
      let p = policies.get(bpw);
      if (!p) policies.set(bpw, (p = checkpointSignerPolicy(client, netuid, bpw)));
      return p.authorizedSigner(manifest);
    },
  };
  return { follower: new CheckpointFollower({ policy, keep, ...(logger ? { logger } : {}) }), policy };
}

/** One sync over every permitted validator's and the owner's committed bucket. */
export async function syncFollower(client: ChainClient, netuid: number, follower: CheckpointFollower, logger?: Logger): Promise<SyncResult> {
  const [metagraph, owner] = await Promise.all([getMetagraph(client, netuid), subnetOwnerHotkey(client, netuid)]);
  return follower.sync(checkpointSources(metagraph, owner, logger));
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
