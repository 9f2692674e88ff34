import { describeError, toAddress, windowStartBlock, type Logger } from '@crucible/core';
import type { CheckpointSource, Manifest, SignerPolicy } from '@crucible/protocol';
import { createS3Store, type ObjectStore } from '@crucible/storage';
import { decodeBucketPointer, type BucketPointer } from './bucketPointer.js';
import type { ChainClient } from './connect.js';
import type { Metagraph } from './metagraph.js';
import { topStakedValidator } from './topStakedValidator.js';

/**
 * What miners and validators need from the chain to follow checkpoints and read each other's objects:
 * the genesis hash and block hashes that seed each window, who may sign each checkpoint, and the
 * buckets neurons commit to.
 */
export async function genesisHash(client: ChainClient): Promise<`0x${string}`> {
  return client.api.genesisHash.toHex() as `0x${string}`;
}

export async function blockHashAt(client: ChainClient, block: number): Promise<`0x${string}`> {
  const hash = (await client.api.rpc.chain.getBlockHash(block)).toHex() as `0x${string}`;
  if (/^0x0+$/.test(hash)) throw new Error(`block ${block} is not known to the node yet`);
  return hash;
}

export async function subnetOwnerHotkey(client: ChainClient, netuid: number): Promise<string | undefined> {
  const raw = await client.api.query.subtensorModule!.subnetOwnerHotkey!(netuid);
  const bytes = (raw as unknown as { toU8a(): Uint8Array }).toU8a();
  return bytes.every((b) => b === 0) ? undefined : toAddress(bytes);
}

/**
 * Genesis must be signed by the subnet owner's hotkey; checkpoint w by the top-staked permitted
 * validator at the first block of window w + 1 (read at that block, so every party agrees).
 */
export function checkpointSignerPolicy(client: ChainClient, netuid: number, blocksPerWindow: number): SignerPolicy {
  const cache = new Map<string, string | undefined>();
  return {
    async authorizedSigner(manifest: Manifest) {
      const key = manifest.parentHash === null ? 'genesis' : `w${manifest.window}`;
      if (cache.has(key)) return cache.get(key);
      let signer: string | undefined;
      if (manifest.parentHash === null) {
        signer = await subnetOwnerHotkey(client, netuid);
      } else {
        const electionBlock = windowStartBlock(manifest.window + 1, blocksPerWindow);
        const best = Number((await client.api.rpc.chain.getHeader()).number.toString());
        // Until the election block exists the answer isn't known; don't cache a guess.
        if (electionBlock > best) return undefined;
        signer = (await topStakedValidator(client, netuid, electionBlock))?.hotkey;
      }
      cache.set(key, signer);
      return signer;
    },
  };
}

/** A read-only store for a committed bucket pointer (public URLs are not readable through S3 here). */
export function storeForPointer(pointer: BucketPointer): ObjectStore | undefined {
  if (pointer.kind !== 's3') return undefined;
  return createS3Store(
    { endpoint: pointer.endpoint, region: pointer.region, bucket: pointer.bucket, read: { accessKeyId: pointer.accessKeyId, secretAccessKey: pointer.secretAccessKey }, forcePathStyle: true },
    { access: 'read' },
  );
}

/** Each uid's decoded bucket pointer (undefined where there is none or it doesn't decode). */
export function bucketPointers(metagraph: Pick<Metagraph, 'commitments'>, logger?: Logger): Array<BucketPointer | undefined> {
  return metagraph.commitments.map((c, uid) => {
    if (!c) return undefined;
    try {
      return decodeBucketPointer(c.data);
    } catch (error) {
      logger?.debug('commitment is not a bucket pointer', { uid, error: describeError(error) });
      return undefined;
    }
  });
}

/**
 * The buckets checkpoints may be in: every validator-permitted neuron's and the subnet owner's. The
 * follower still checks each checkpoint's signer, so an extra source can't inject anything.
 */
export function checkpointSources(metagraph: Pick<Metagraph, 'commitments' | 'hotkeys' | 'validatorPermit'>, ownerHotkey: string | undefined, logger?: Logger): CheckpointSource[] {
  const pointers = bucketPointers(metagraph, logger);
  const sources: CheckpointSource[] = [];
  metagraph.hotkeys.forEach((hotkey, uid) => {
    const pointer = pointers[uid];
    if (!pointer || !(metagraph.validatorPermit[uid] || hotkey === ownerHotkey)) return;
    const store = storeForPointer(pointer);
    if (store) sources.push({ hotkey, store });
  });
  return sources;
}
