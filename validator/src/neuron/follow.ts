import type { Logger } from '@crucible/core';
import { chainReader, readNeuronRows, subnetOwnerHotkey, type ChainClient } from '@crucible/chain';
import { CheckpointFollower, checkpointSignerPolicy, checkpointSources, withArchive, type CheckpointSource, type Manifest, type SignerPolicy, type SyncResult } from '@crucible/protocol';
import type { PeerStores } from '@crucible/storage';

/**
 * A CheckpointFollower with the protocol's signer policy over this chain. `keep`: checkpoints whose
 * parameters it holds (the validator itself needs only the head it aggregates on; its evaluation
 * workers read bases from the signer's bucket). `archive`: a client of an archive node, asked only for
 * elections older than `client` keeps (`--chain.archive-endpoint`).
 */
export function createFollower(client: ChainClient, netuid: number, logger?: Logger, keep = 4, options: { archive?: ChainClient } = {}): { follower: CheckpointFollower; policy: SignerPolicy } {
  const chain = withArchive(chainReader(client), options.archive ? chainReader(options.archive) : undefined);
  const policy = checkpointSignerPolicy(chain, netuid);
  return { follower: new CheckpointFollower({ policy, keep, ...(logger ? { logger } : {}) }), policy };
}

/** Every permitted validator's and the owner's committed bucket, read at the best block. */
export async function followerSources(client: ChainClient, netuid: number, peers: PeerStores): Promise<CheckpointSource[]> {
  const [rows, owner] = await Promise.all([readNeuronRows(client, netuid), subnetOwnerHotkey(client, netuid)]);
  return checkpointSources(rows, owner, peers);
}

/** One sync over the buckets checkpoints may be in. */
export async function syncFollower(client: ChainClient, netuid: number, follower: CheckpointFollower, peers: PeerStores): Promise<SyncResult> {
  return follower.sync(await followerSources(client, netuid, peers));
}

/**
 * The follower's chain with each checkpoint's signer (what prepareWindow needs to point workers at the
 * right bucket). Every link carries the signer whose signature it verified, so no chain state is read.
 * (`_policy` is no longer needed and kept only so existing callers compile.)
 */
export async function chainWithSigners(follower: CheckpointFollower, _policy?: SignerPolicy): Promise<Array<{ manifest: Manifest; signer?: string }>> {
  return follower.links().map((l) => ({ manifest: l.manifest, signer: l.signer }));
}
