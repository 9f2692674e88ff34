import { CrucibleError, windowOf, type Keypair, type Logger } from '@crucible/core';
import { currentBlock, type ChainClient } from '@crucible/chain';
import { pinDataset, type DatasetFlags, type PinnedDataset } from '@crucible/data';
import { initParams, loadCorpus, type Checkpoint } from '@crucible/model';
import { publishCheckpoint, runConfigFor, runDefaults, type PublishedCheckpoint, type RunConfig } from '@crucible/protocol';
import type { BucketPointer, ObjectStore } from '@crucible/storage';
import type { GenesisConfig } from '../config.js';
import { commitBucketPointer } from '../neuron/bucket.js';

/** The run-configuration part of `genesis`'s flags (every field defaults to runDefaults). */
export type GenesisRunOptions = { netuid: number; dataset?: DatasetFlags } & Partial<
  Pick<GenesisConfig, 'preset' | 'initSeed' | 'corpus' | 'pageSize' | 'valEvery' | 'blocksPerWindow' | 'pagesPerMiner' | 'revealBlocks' | 'innerSteps' | 'batchSize' | 'innerLr' | 'weightDecay' | 'gradClip' | 'outerLr' | 'topG'>
>;

/**
 * A run configuration from `genesis`'s flags over @crucible/protocol's runDefaults. With
 * `--dataset.name`, the dataset's manifest is read (with the read-only key every party will use) and
 * pinned by its hash: the page geometry, the training page count windows are planned over and the
 * model's vocabulary come from it. Without, the training page count is read from the corpus itself,
 * so every party checks it holds the same text.
 */
export async function genesisRunConfig(o: GenesisRunOptions, logger?: Logger): Promise<RunConfig> {
  const d = runDefaults;
  const defined = <T extends object>(fields: T) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
  const pinned: PinnedDataset | undefined = o.dataset ? await pinDataset(o.dataset, logger ? { logger } : {}) : undefined;
  let corpus: Partial<RunConfig['corpus']>;
  let trainPages: number | undefined;
  if (pinned) {
    if (o.corpus !== undefined) throw new CrucibleError('CONFIG_INVALID', '--corpus and --dataset.name both name the text; give one');
    corpus = defined({ pageSize: o.pageSize, valEvery: o.valEvery });
    const m = pinned.manifest;
    logger?.info('dataset pinned', { name: pinned.ref.name, manifestHash: pinned.ref.manifestHash, tokenizer: m.tokenizer.name, trainPages: m.trainPages, valPages: m.valPages, pageSize: m.pageSize });
  } else {
    corpus = { source: o.corpus ?? d.corpus.source, pageSize: o.pageSize ?? d.corpus.pageSize, valEvery: o.valEvery ?? d.corpus.valEvery };
    trainPages = (await loadCorpus(corpus.source, { pageSize: corpus.pageSize!, valEvery: corpus.valEvery! })).trainPageCount;
  }
  return runConfigFor({
    netuid: o.netuid,
    ...(pinned ? { dataset: pinned } : { trainPages }),
    model: o.preset ?? d.preset,
    initSeed: o.initSeed ?? d.initSeed,
    overrides: {
      corpus,
      window: defined({ blocksPerWindow: o.blocksPerWindow, pagesPerMiner: o.pagesPerMiner, revealBlocks: o.revealBlocks }),
      inner: defined({ steps: o.innerSteps, batchSize: o.batchSize, learningRate: o.innerLr, weightDecay: o.weightDecay, gradClip: o.gradClip }),
      outer: defined({ learningRate: o.outerLr, topG: o.topG }),
    },
  });
}

/**
 * The subnet's first checkpoint: initParams(run.model, run.initSeed), published under
 * checkpoints/<window>/ in the owner's bucket with a manifest signed by the owner's hotkey (no parent).
 */
export async function publishGenesis(store: ObjectStore, run: RunConfig, owner: Keypair, window: number, logger?: Logger): Promise<PublishedCheckpoint> {
  const checkpoint: Checkpoint = { config: run.model, params: initParams(run.model, run.initSeed), metadata: {} };
  const published = await publishCheckpoint(
    store,
    checkpoint,
    { netuid: run.netuid, window, parentHash: null, parentWindow: null, contributors: [], validationLoss: null, run },
    owner,
  );
  logger?.info('genesis published', { window, paramsHash: published.manifest.paramsHash, bytes: published.bytes });
  return published;
}

/**
 * The owner's whole genesis step: publish the genesis checkpoint in `store` at the chain's current
 * window and commit the bucket pointer (when it differs from the committed one).
 */
export async function createGenesis(o: {
  client: ChainClient;
  netuid: number;
  owner: Keypair;
  store: ObjectStore;
  pointer: BucketPointer;
  run: RunConfig;
  commit?: boolean;
  logger?: Logger;
}): Promise<PublishedCheckpoint> {
  const window = windowOf(await currentBlock(o.client), o.run.window.blocksPerWindow);
  const published = await publishGenesis(o.store, o.run, o.owner, window, o.logger);
  if (o.commit !== false) await commitBucketPointer(o.client, o.owner, o.netuid, o.pointer, o.logger);
  return published;
}
