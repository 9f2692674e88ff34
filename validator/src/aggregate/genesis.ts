import { windowOf, type Keypair, type Logger } from '@crucible/core';
import { currentBlock, type BucketPointer, type ChainClient } from '@crucible/chain';
import { defaultCodecConfig } from '@crucible/codec';
import { initParams, loadCorpus, presets, type Checkpoint, type PresetName } from '@crucible/model';
import { publishCheckpoint, runConfigSchema, type PublishedCheckpoint, type RunConfig } from '@crucible/protocol';
import type { ObjectStore } from '@crucible/storage';
import { ensureCommitment } from '../neuron/bucket.js';

export interface GenesisRunOptions {
  netuid: number;
  preset?: PresetName;
  initSeed?: number;
  corpus?: string;
  pageSize?: number;
  valEvery?: number;
  blocksPerWindow?: number;
  pagesPerMiner?: number;
  innerSteps?: number;
  batchSize?: number;
  innerLr?: number;
  outerLr?: number;
  topG?: number;
}

/**
 * A run configuration from a few flags with small defaults (tiny model, short windows); the number of
 * training pages is read from the corpus itself, so every party checks it holds the same text.
 */
export async function genesisRunConfig(o: GenesisRunOptions): Promise<RunConfig> {
  const corpusSource = o.corpus ?? 'sotu';
  const pageSize = o.pageSize ?? 4096;
  const valEvery = o.valEvery ?? 20;
  const corpus = await loadCorpus(corpusSource, { pageSize, valEvery });
  const { beta: _beta, ...codec } = defaultCodecConfig;
  return runConfigSchema.parse({
    version: 1,
    netuid: o.netuid,
    model: presets[o.preset ?? 'tiny'],
    initSeed: o.initSeed ?? 0,
    corpus: { source: corpusSource, pageSize, valEvery, trainPages: corpus.trainPageCount },
    window: { blocksPerWindow: o.blocksPerWindow ?? 20, pagesPerMiner: o.pagesPerMiner ?? 2 },
    inner: { steps: o.innerSteps ?? 15, batchSize: o.batchSize ?? 8, learningRate: o.innerLr ?? 3e-3, weightDecay: 0.1, gradClip: 1 },
    codec: { ...codec, beta: defaultCodecConfig.beta },
    evaluation: { sequences: 8, randomPages: 4, oversizeFactor: 5, copyThreshold: 0.95 },
    outer: { learningRate: o.outerLr ?? 0.7, momentum: 0, topG: o.topG ?? 5 },
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
  if (o.commit !== false) await ensureCommitment(o.client, o.owner, o.netuid, o.pointer, o.logger);
  return published;
}
