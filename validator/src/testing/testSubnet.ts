/** A devnet subnet for validator tests: validators, miners with their own buckets, an owner with genesis. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, cryptoReady, keypairFromUri, type Keypair } from '@crucible/core';
import { bootstrapSubnet, connectChain, currentBlock, setCommitment, type ChainClient } from '@crucible/chain';
import { startDevnet, type Devnet } from '@crucible/chain/devnet';
import type { RunConfig } from '@crucible/protocol';
import { encodeBucketPointer, ownBucket, type S3Store } from '@crucible/storage';
import { createGenesis } from '../aggregate/genesis.js';
import { validatorConfigSchema, type StorageOptions, type ValidatorConfig } from '../config.js';
import { openOwnStore } from '../neuron/bucket.js';
import { services, testStorage } from './fixtures.js';

export interface TestNeuron {
  name: string;
  key: Keypair;
  /** The coldkey that registered (and, for validators, staked to) the hotkey. */
  coldkey: Keypair;
  uid: number;
  storage: StorageOptions;
  store: S3Store;
}

export interface TestSubnet {
  devnet: Devnet;
  client: ChainClient;
  netuid: number;
  owner: TestNeuron;
  validators: TestNeuron[];
  miners: TestNeuron[];
  genesisWindow: number;
  genesisHash: string;
  validatorConfig(v: TestNeuron, overrides?: Partial<ValidatorConfig>): ValidatorConfig;
  close(): Promise<void>;
}

export async function startTestSubnet(o: { run: (netuid: number) => RunConfig; validators: Array<{ name: string; stakeTao: number }>; miners: string[]; blockTimeMs: number; tag: string }): Promise<TestSubnet> {
  await cryptoReady();
  const quiet = createLogger({ name: 'devnet', level: 'error', format: 'json', write: () => {} });
  const devnet = await startDevnet({ port: 0, blockTimeMs: o.blockTimeMs, tmp: true, logger: quiet });
  const client = await connectChain({ endpoint: devnet.endpoint });
  const sudo = keypairFromUri('//Alice');
  const k = (name: string) => keypairFromUri(`//${o.tag}/${name}`);
  const ownerKey = k('owner');
  const neurons = [
    ...o.validators.map((v) => ({ coldkey: k(`${v.name}-cold`), hotkey: k(v.name).address, stake: BigInt(v.stakeTao) * 1_000_000_000n })),
    ...o.miners.map((m) => ({ coldkey: k(`${m}-cold`), hotkey: k(m).address })),
  ];
  const { netuid, uids } = await bootstrapSubnet(client, {
    sudo,
    ownerHotkey: ownerKey.address,
    neurons,
    // The owner's hotkey holds a permit too (it collects the owner cut as stake), so one more slot.
    hyperparameters: { tempo: 4, maxAllowedValidators: o.validators.length + 1 },
  });
  const make = async (name: string, uid: number): Promise<TestNeuron> => {
    const storage = testStorage(`${o.tag}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'));
    return { name, key: k(name), coldkey: k(`${name}-cold`), uid, storage, store: (await openOwnStore(storage)).store };
  };
  const validators = await Promise.all(o.validators.map((v, i) => make(v.name, uids[i]!)));
  const miners = await Promise.all(o.miners.map((m, i) => make(m, uids[o.validators.length + i]!)));
  const owner = await make('owner', 0);
  await Promise.all(miners.map((m) => setCommitment(client, m.key, netuid, encodeBucketPointer(ownBucket(m.storage).pointer))));
  const run = o.run(netuid);
  const genesis = await createGenesis({ client, netuid, owner: owner.key, store: owner.store, pointer: ownBucket(owner.storage).pointer, run });
  const s = services();
  const stateRoot = mkdtempSync(join(tmpdir(), `crucible-validator-${o.tag}-`));
  await currentBlock(client);
  return {
    devnet,
    client,
    netuid,
    owner,
    validators,
    miners,
    genesisWindow: genesis.manifest.window,
    genesisHash: genesis.manifest.paramsHash,
    validatorConfig: (v, overrides = {}) =>
      validatorConfigSchema.parse({
        netuid,
        chain: { endpoint: devnet.endpoint },
        stateDir: join(stateRoot, v.name),
        storage: v.storage,
        redis: { url: s.redisUrl, prefix: `t${o.tag}` },
        workers: 1,
        evaluation: { lateGraceMs: 200, historyWindows: 3, onnxThreads: 1, jobAttempts: 3, stalledIntervalMs: 1000, lockDurationMs: 4000 },
        weights: { everyWindows: 1, topN: 15, power: 2 },
        metrics: { enabled: false },
        logging: { level: 'warn', format: 'json' },
        ...overrides,
      }),
    close: async () => {
      for (const n of [...validators, ...miners, owner]) n.store.close();
      await client.close();
      await devnet.close();
    },
  };
}
