/**
 * A real local subnet for the miner's tests and benchmark: a devnet in this process, a subnet created
 * by bootstrapSubnet, and a genesis checkpoint published by the subnet owner in its own bucket with its
 * bucket pointer committed on chain. Not exported from the package.
 */
import { createLogger, cryptoReady, keypairFromUri, windowOf, type Keypair } from '@crucible/core';
import { bootstrapSubnet, burnedRegister, connectChain, currentBlock, setCommitment, transfer, type ChainClient } from '@crucible/chain';
import { startDevnet, type Devnet } from '@crucible/chain/devnet';
import { initParams, loadCorpus } from '@crucible/model';
import { publishCheckpoint, runConfigFor, type Manifest, type RunConfig, type RunConfigOptions } from '@crucible/protocol';
import { createS3Store, encodeBucketPointer, type S3Store } from '@crucible/storage';
import { minerConfigSchema, type MinerConfig, type MinerConfigInput } from '../config.js';

export interface S3Endpoint {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SubnetFixture {
  devnet: Devnet;
  client: ChainClient;
  netuid: number;
  owner: Keypair;
  run: RunConfig;
  genesis: Manifest;
  ownerStore: S3Store;
  /** A miner config for this subnet (merge your own fields over it). */
  minerConfig(input: { stateDir: string; bucket: string; s3?: S3Endpoint } & Partial<MinerConfigInput>): MinerConfig;
  /** A funded coldkey and a hotkey, registered on the subnet unless `register: false`. */
  newMiner(name: string, options?: { register?: boolean }): Promise<{ coldkey: Keypair; hotkey: Keypair }>;
  /** Stops the node for `downMs` and starts it again on the same port from its base path. */
  restartChain(downMs: number): Promise<void>;
  /** Sends 1000 TAO from the sudo account. */
  fund(address: string): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;
const uniq = () => `${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** A small run: the tiny model on the shipped corpus, few inner steps, short windows. */
export async function testRunConfig(netuid: number, overrides: RunConfigOptions['overrides'] = {}): Promise<RunConfig> {
  const corpus = await loadCorpus('sotu', { pageSize: 4096, valEvery: 20 });
  return runConfigFor({
    netuid,
    trainPages: corpus.trainPageCount,
    model: 'tiny',
    initSeed: 1,
    overrides: {
      ...overrides,
      window: { blocksPerWindow: 10, ...overrides.window },
      inner: { steps: 6, batchSize: 4, ...overrides.inner },
      evaluation: { sequences: 4, copyThreshold: 0.9, ...overrides.evaluation },
      outer: { topG: 3, ...overrides.outer },
    },
  });
}

/**
 * `chainEndpoint`: use a node that runs elsewhere (its own process, as in a deployment) instead of an
 * in-process devnet, whose block production would share the miner's event loop; `devnet` and
 * `restartChain` are then unavailable.
 */
export async function startSubnetFixture(options: { s3: S3Endpoint; blockTimeMs?: number; run?: RunConfigOptions['overrides']; basePath?: string; chainEndpoint?: string }): Promise<SubnetFixture> {
  await cryptoReady();
  const devnetOptions = {
    blockTimeMs: options.blockTimeMs ?? 500,
    logger: createLogger({ name: 'devnet', level: 'error' }),
    ...(options.basePath ? { basePath: options.basePath } : { tmp: true }),
  };
  let devnet = options.chainEndpoint === undefined ? await startDevnet({ port: 0, ...devnetOptions }) : undefined;
  const endpoint = options.chainEndpoint ?? devnet!.endpoint;
  const inProcess = (what: string): Devnet => {
    if (devnet === undefined) throw new Error(`${what} needs the fixture's own devnet (started without chainEndpoint)`);
    return devnet;
  };
  const client = await connectChain({ endpoint });
  try {
    const sudo = keypairFromUri('//Alice');
    const id = uniq();
    const owner = keypairFromUri(`//MinerTest//owner//${id}`);
    const { netuid } = await bootstrapSubnet(client, { sudo, ownerHotkey: owner.address, neurons: [] });
    const run = await testRunConfig(netuid, options.run);
    const s3 = options.s3;
    const ownerBucket = `owner-${id}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const bucket = { endpoint: s3.endpoint, region: s3.region, bucket: ownerBucket, read: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, forcePathStyle: true };
    const ownerStore = createS3Store({ ...bucket, write: bucket.read }, { access: 'write' });
    await ownerStore.ensureBucket();
    await setCommitment(client, owner, netuid, encodeBucketPointer({ kind: 's3', endpoint: s3.endpoint, region: s3.region, bucket: ownerBucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }));
    const window = windowOf(await currentBlock(client), run.window.blocksPerWindow);
    const published = await publishCheckpoint(
      ownerStore,
      { config: run.model, params: initParams(run.model, run.initSeed), metadata: {} },
      { netuid, window, parentHash: null, parentWindow: null, contributors: [], validationLoss: null, run },
      owner,
    );
    return {
      get devnet() {
        return inProcess('devnet');
      },
      client,
      netuid,
      owner,
      run,
      genesis: published.manifest,
      ownerStore,
      minerConfig({ stateDir, bucket: minerBucket, s3: minerS3, ...rest }) {
        const target = minerS3 ?? s3;
        return minerConfigSchema.parse({
          netuid,
          chain: { endpoint },
          stateDir,
          storage: {
            endpoint: target.endpoint,
            region: target.region,
            bucket: minerBucket,
            forcePathStyle: true,
            read: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
            write: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
            // The test S3 server is on loopback.
            allowPrivateEndpoints: true,
          },
          train: { threads: 1 },
          timing: { uploadMarginMs: 500 },
          metrics: { enabled: false },
          logging: { level: 'info', format: 'json' },
          ...rest,
        });
      },
      async newMiner(name, minerOptions = {}) {
        const coldkey = keypairFromUri(`//MinerTest//${name}//cold//${id}`);
        const hotkey = keypairFromUri(`//MinerTest//${name}//hot//${id}`);
        await transfer(client, sudo, coldkey.address, 1000n * 1_000_000_000n);
        if (minerOptions.register !== false) {
          await burnedRegister(client, coldkey, netuid, hotkey.address);
        }
        return { coldkey, hotkey };
      },
      async restartChain(downMs) {
        if (!options.basePath) throw new Error('restartChain needs a basePath');
        const port = inProcess('restartChain').port;
        await inProcess('restartChain').close();
        await new Promise((r) => setTimeout(r, downMs));
        devnet = await startDevnet({ port, ...devnetOptions });
      },
      async fund(address) {
        await transfer(client, sudo, address, 1000n * 1_000_000_000n);
      },
      async close() {
        ownerStore.close();
        await client.close();
        await devnet?.close();
      },
    };
  } catch (error) {
    await client.close();
    await devnet?.close();
    throw error;
  }
}
