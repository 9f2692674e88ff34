/**
 * A subnet with a long, real checkpoint history, built fast (for the joining tests and benchmark): an
 * in-process devnet whose blocks are produced back to back, a subnet with two staked validators and an
 * owner, and for every window after genesis a checkpoint signed by the aggregator the chain elects at
 * its election block — read from chain state, as a follower will — published into that validator's
 * bucket (with its pointer committed on chain) and subject to the aggregator's retention rule.
 */
import { createLogger, cryptoReady, keypairFromUri, windowOf, type Keypair } from '@crucible/core';
import { bootstrapSubnet, connectChain, consensusStake, currentBlock, readElectionState, removeStake, setCommitment, type ChainClient } from '@crucible/chain';
import { startDevnet, type Devnet } from '@crucible/chain/devnet';
import { initParams, type GptParams } from '@crucible/model';
import { electAggregator, publishCheckpoint, type PublishedCheckpoint, type RetentionRule, type RunConfig } from '@crucible/protocol';
import { encodeBucketPointer, ownBucket, type BucketFlags, type S3Store } from '@crucible/storage';
import { applyRetention } from '../aggregate/aggregateWindow.js';
import { publishGenesis } from '../aggregate/genesis.js';
import { openOwnStore } from '../neuron/bucket.js';

export interface HistoryNeuron {
  key: Keypair;
  store: S3Store;
  storage: BucketFlags;
}

export interface LongHistory {
  devnet: Devnet;
  client: ChainClient;
  netuid: number;
  run: RunConfig;
  owner: HistoryNeuron;
  validators: HistoryNeuron[];
  genesis: PublishedCheckpoint;
  /** Every checkpoint published after genesis, oldest first, and the hotkey that signed each. */
  published: PublishedCheckpoint[];
  signers: string[];
  /** Advances the chain and publishes the checkpoint of each of the next `windows` windows. */
  extend(windows: number): Promise<void>;
  /** From the next window on, `validators[1]` holds the most stake (a hand-over of aggregation). */
  handOver(): Promise<void>;
  close(): Promise<void>;
}

/** Produces blocks until the chain's best block is at least `block`. */
export async function produceUntil(devnet: Devnet, block: number): Promise<void> {
  while (devnet.chain.best.header.number < block) {
    devnet.produceBlock();
    // Let the RPC server and the client's subscriptions breathe between blocks.
    if (devnet.chain.best.header.number % 16 === 0) await new Promise((r) => setImmediate(r));
  }
}

export async function startLongHistory(o: {
  tag: string;
  run: (netuid: number) => RunConfig;
  storage: (name: string) => BucketFlags;
  retention: RetentionRule;
  /** Block time of the devnet's own timer (blocks are also produced on demand); default 1000 ms. */
  blockTimeMs?: number;
}): Promise<LongHistory> {
  await cryptoReady();
  const quiet = createLogger({ name: 'devnet', level: 'error', format: 'json', write: () => {} });
  const devnet = await startDevnet({ port: 0, blockTimeMs: o.blockTimeMs ?? 1000, tmp: true, logger: quiet });
  const client = await connectChain({ endpoint: devnet.endpoint });
  const k = (name: string) => keypairFromUri(`//${o.tag}/${name}`);
  const sudo = keypairFromUri('//Alice');
  const names = ['val-a', 'val-b'];
  // Extrinsics wait for a block: keep blocks coming while the subnet is set up.
  let settingUp = true;
  const pump = (async () => {
    while (settingUp) {
      devnet.produceBlock();
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  let netuid: number;
  try {
    ({ netuid } = await bootstrapSubnet(client, {
      sudo,
      ownerHotkey: k('owner').address,
      neurons: names.map((n, i) => ({ coldkey: k(`${n}-cold`), hotkey: k(n).address, stake: BigInt(500 - 400 * i) * 1_000_000_000n })),
      // The owner's hotkey holds a permit too (it collects the owner cut as stake; it is never elected).
      hyperparameters: { tempo: 4, maxAllowedValidators: 3 },
    }));
  } finally {
    settingUp = false;
    await pump;
  }
  const neuron = async (name: string): Promise<HistoryNeuron> => {
    const storage = o.storage(`${o.tag}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'));
    return { key: k(name), store: (await openOwnStore(storage)).store, storage };
  };
  const owner = await neuron('owner');
  const validators = await Promise.all(names.map(neuron));
  const run = o.run(netuid);
  const bpw = run.window.blocksPerWindow;
  const submit = async <T>(tx: () => Promise<T>): Promise<T> => {
    const done = tx();
    let finished = false;
    void done.finally(() => (finished = true)).catch(() => undefined);
    while (!finished) {
      devnet.produceBlock();
      await new Promise((r) => setTimeout(r, 5));
    }
    return done;
  };
  for (const n of [owner, ...validators]) await submit(() => setCommitment(client, n.key, netuid, encodeBucketPointer(ownBucket(n.storage).pointer)));
  // Two epochs, so both validators hold permits before the first election.
  await produceUntil(devnet, (await currentBlock(client)) + 10);
  const genesis = await publishGenesis(owner.store, run, owner.key, windowOf(await currentBlock(client), bpw));
  const published: PublishedCheckpoint[] = [];
  const signers: string[] = [];
  let params: GptParams | undefined;
  const byHotkey = new Map(validators.map((v) => [v.key.address, v]));

  const history: LongHistory = {
    devnet,
    client,
    netuid,
    run,
    owner,
    validators,
    genesis,
    published,
    signers,
    async extend(windows) {
      for (let i = 0; i < windows; i++) {
        const parent = published.at(-1) ?? genesis;
        const w = parent.manifest.window + 1;
        const electionBlock = (w + 1) * bpw;
        await produceUntil(devnet, electionBlock);
        const elected = electAggregator(await readElectionState(client, netuid, electionBlock));
        const signer = elected ? byHotkey.get(elected.hotkey) : undefined;
        if (!signer) throw new Error(`window ${w}: the chain elects ${elected?.hotkey ?? 'nobody'}, not one of this history's validators`);
        // Each checkpoint differs from its parent (as an outer step would make it): one value moves.
        params ??= new Map(initParams(run.model, run.initSeed));
        const wte = params.get('wte.weight')!.slice();
        wte[w % wte.length] = wte[w % wte.length]! + 1e-3;
        params.set('wte.weight', wte);
        const fields = { netuid, window: w, parentHash: parent.manifest.paramsHash, parentWindow: parent.manifest.window, contributors: [], validationLoss: null, run };
        published.push(await publishCheckpoint(signer.store, { config: run.model, params, metadata: {} }, fields, signer.key));
        signers.push(signer.key.address);
        if (w % 10 === 0) await applyRetention(signer.store, w, { ...o.retention, gradientWindows: 6 });
      }
      // Followers verify signers at finalized blocks: make the newest checkpoint's election block final.
      const newest = published.at(-1);
      if (newest) await produceUntil(devnet, (newest.manifest.window + 1) * bpw + devnet.chain.finalityLag);
    },
    async handOver() {
      // The first validator's stake holder withdraws all of it: the second now has the most stake.
      const uid = (await readElectionState(client, netuid)).hotkeys.indexOf(validators[0]!.key.address);
      const alpha = (await consensusStake(client, netuid)).alpha[uid]!;
      await submit(() => removeStake(client, k(`${names[0]}-cold`), validators[0]!.key.address, netuid, alpha));
    },
    async close() {
      for (const n of [owner, ...validators]) n.store.close();
      await client.close();
      await devnet.close();
    },
  };
  return history;
}
