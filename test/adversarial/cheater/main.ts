/**
 * A cheating miner for the adversarial scenario, run as its own process with the honest miner's flags
 * (crucible-local passes them) plus `--cheat <mode>`. It uses only the project's public packages, as a
 * miner who has read the code would, and follows every public rule except the one its mode breaks:
 *   peek         trains on the sequences the old evaluation-seed derivation (known at window start)
 *                would have evaluated, instead of its assigned pages
 *   copy-noise   an honest miner's revealed update of the previous window, plus noise, re-signed
 *   blend        half its own trained update, half an honest miner's previous one
 *   steal-frame  copies an honest miner's sealed object (and later its key) as its own, from its own
 *                endpoint that backdates every object by an hour
 *   swap         its own endpoint answers each GET with another of two uploads (noise, a copy)
 *   scaled       one inner step instead of the run's, scaled ×2.5 to look like a full update
 *   opt-out      uploads noise and withholds the seal key (hoping to be left unrated)
 *   global-step  uploads the last global step (parent − base) as its pseudo-gradient
 *   sybil        several hotkeys of one owner upload one piece of work (`--share-dir` shared; the
 *                first hotkey trains, the others re-sign what it trained)
 * Test-only code: it is not part of any package and never runs outside test/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoReady, loadHotkey, toHex, type Keypair } from '@crucible/core';
import {
  bestChainHashAt,
  connectChain,
  chainReader,
  currentBlock,
  genesisHash,
  readNeuronRows,
  watchBlocks,
  type ChainClient,
} from '@crucible/chain';
import { createErrorFeedback, decodeGradient, decompressTensor, encodeGradient, sparseLoCoStep, type CompressedTensor } from '@crucible/codec';
import { createPrng, deriveSeed, loadCorpus, paramTable, Trainer, type Batch, type Corpus, type GptParams } from '@crucible/model';
import {
  CheckpointFollower,
  checkpointSignerPolicy,
  checkpointSources,
  evaluationSample,
  openSealed,
  pickBaseWindow,
  sealUpdate,
  windowBlocks,
  windowPlan,
  type HeldCheckpoint,
  type RunConfig,
} from '@crucible/protocol';
import { createS3Store, PeerStores, pointerFromCommitment, sealedUpdateKey, sealKeyKey, type ObjectStore } from '@crucible/storage';
import { commitPointer, minerFlags } from '../../support/minerProcess.js';
import { startOwnEndpoint, type OwnEndpoint } from './ownEndpoint.js';

const MODES = ['peek', 'copy-noise', 'blend', 'steal-frame', 'swap', 'scaled', 'opt-out', 'global-step', 'sybil'] as const;
type Mode = (typeof MODES)[number];

const log = (msg: string, fields: Record<string, unknown> = {}): void => void process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', name: 'cheater', msg, ...fields }) + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ctx {
  mode: Mode;
  hotkey: Keypair;
  netuid: number;
  client: ChainClient;
  /** Where this cheater's objects go: its bucket on the subnet's S3 server, or its own endpoint. */
  put: (key: string, body: Uint8Array) => Promise<void>;
  endpoint: OwnEndpoint | undefined;
  peers: PeerStores;
  follower: CheckpointFollower;
  shareDir: string | undefined;
  leader: boolean;
  training?: { trainer: Trainer; corpus: Corpus; fresh: ReturnType<Trainer['optimizer']['exportState']> };
}

async function main(): Promise<void> {
  const f = minerFlags(process.argv.slice(2));
  const need = f.need;
  const mode = need('cheat') as Mode;
  if (!MODES.includes(mode)) throw new Error(`--cheat must be one of ${MODES.join(', ')}`);
  await cryptoReady();
  const hotkey = await loadHotkey({ path: need('wallet.path'), name: need('wallet.name'), hotkey: f.get('wallet.hotkey') ?? 'default' });
  const netuid = Number(need('netuid'));
  const client = await connectChain({ endpoint: need('chain.endpoint') });
  const creds = { accessKeyId: need('storage.write.access-key-id'), secretAccessKey: need('storage.write.secret-access-key') };
  const bucket = need('storage.bucket');
  let endpoint: OwnEndpoint | undefined;
  let put: Ctx['put'];
  let pointer;
  if (mode === 'steal-frame' || mode === 'swap') {
    endpoint = await startOwnEndpoint({ bucket, backdate: mode === 'steal-frame' });
    const e = endpoint;
    put = async (key, body) => e.put(key, body);
    pointer = { kind: 's3' as const, endpoint: e.url, region: need('storage.region'), bucket, ...creds };
  } else {
    const store = createS3Store({ endpoint: need('storage.endpoint'), region: need('storage.region'), bucket, read: creds, write: creds, forcePathStyle: true }, { access: 'write' });
    await store.ensureBucket();
    put = async (key, body) => void (await store.put(key, body));
    pointer = { kind: 's3' as const, endpoint: need('storage.endpoint'), region: need('storage.region'), bucket, ...creds };
  }
  await commitPointer(client, hotkey, netuid, pointer);
  const shareDir = f.get('share-dir');
  if (shareDir) mkdirSync(shareDir, { recursive: true });
  const ctx: Ctx = {
    mode,
    hotkey,
    netuid,
    client,
    put,
    endpoint,
    peers: new PeerStores({ policy: { allowPrivateEndpoints: true }, limits: { requestTimeoutMs: 5000 } }),
    follower: new CheckpointFollower({ policy: checkpointSignerPolicy(chainReader(client), netuid), keep: 4 }),
    shareDir,
    leader: f.get('sybil-role') !== 'follower',
  };
  log('cheater started', { mode, hotkey: hotkey.address });

  const sync = async () => {
    const [rows, owner] = await Promise.all([readNeuronRows(client, netuid), chainReader(client).subnetOwnerHotkey(netuid)]);
    await ctx.follower.sync(checkpointSources(rows, owner, ctx.peers)).catch(() => undefined);
  };
  while (!ctx.follower.head()) {
    await sync();
    if (!ctx.follower.head()) await sleep(1000);
  }
  const run = ctx.follower.head()!.manifest.run;
  const bpw = run.window.blocksPerWindow;
  let busy = false;
  const unsubscribe = await watchBlocks(client, bpw, (tick) => {
    if (!tick.windowChanged || busy) return;
    busy = true;
    act(ctx, run, tick.window, sync)
      .catch((error: unknown) => log('window failed', { window: tick.window, error: String(error) }))
      .finally(() => (busy = false));
  });
  log('following windows', { blocksPerWindow: bpw });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  unsubscribe();
  await endpoint?.close();
  await client.close();
}

/** One window: build this mode's update, seal it, upload it, and reveal its key after the deadline. */
async function act(ctx: Ctx, run: RunConfig, window: number, sync: () => Promise<void>): Promise<void> {
  await sync();
  const held = ctx.follower.manifests().map((m) => m.window).filter((w) => ctx.follower.held(w));
  const baseWindow = pickBaseWindow(held, window);
  if (baseWindow === undefined) return;
  const base = ctx.follower.held(baseWindow)!;
  const blocks = windowBlocks(run, window);
  const plan = windowPlan(run, { genesisHash: genesisHash(ctx.client), window, windowBlockHash: await bestChainHashAt(ctx.client, blocks.startBlock) });
  const sign = (tensors: readonly CompressedTensor[]) => encodeGradient({ window, baseCheckpoint: base.manifest.paramsHash, config: run.codec, tensors: tensors as CompressedTensor[], signer: ctx.hotkey });
  const compress = (delta: Map<string, Float32Array>) => sparseLoCoStep(createErrorFeedback(paramTable(run.model)), delta, run.codec);
  let sealedKey: string | undefined;
  let key: Uint8Array | undefined;
  let reveal = true;

  const upload = async (update: Uint8Array) => {
    const sealed = sealUpdate(update);
    await ctx.put(sealedUpdateKey(window, ctx.hotkey.address), sealed.sealed);
    key = sealed.key;
    sealedKey = sealedUpdateKey(window, ctx.hotkey.address);
  };

  switch (ctx.mode) {
    case 'peek': {
      // The evaluation seed as it was derived before: the window seed and each validator's hotkey only.
      const validators = (await readNeuronRows(ctx.client, ctx.netuid)).filter((r) => r.validatorPermit && r.hotkey !== ctx.hotkey.address);
      const batches: Batch[] = [];
      const { corpus } = await training(ctx, run);
      for (const v of validators) {
        const oldSeed = toHex(deriveSeed('crucible/evaluation-seed/v1', Buffer.from(plan.seed.slice(2), 'hex'), v.hotkey));
        const sample = await evaluationSample(corpus, run, { windowSeed: plan.seed, evaluationSeed: oldSeed, window, hotkey: ctx.hotkey.address });
        batches.push(sample.own, sample.random);
      }
      await upload(sign(compress(await train(ctx, run, base, run.inner.steps, (step) => batches[step % batches.length]!))));
      break;
    }
    case 'copy-noise':
    case 'global-step': {
      let delta: Map<string, Float32Array> | undefined;
      if (ctx.mode === 'copy-noise') {
        const copied = await revealedUpdate(ctx, run, window - 1);
        if (copied) {
          const prng = createPrng(`noise/${window}`);
          delta = denseOf(run, copied);
          for (const d of delta.values()) for (let i = 0; i < d.length; i++) d[i] = d[i]! + prng.normal() * 1e-4;
        }
      } else {
        const parent = base.manifest.parentWindow === null ? undefined : ctx.follower.held(base.manifest.parentWindow);
        if (parent) {
          delta = new Map();
          for (const [name, p] of parent.checkpoint.params) {
            const b = base.checkpoint.params.get(name)!;
            delta.set(name, p.map((x, i) => (x - b[i]!) / run.outer.learningRate));
          }
        }
      }
      if (!delta) return log('nothing to copy this window', { window });
      await upload(sign(compress(delta)));
      break;
    }
    case 'blend': {
      const copied = await revealedUpdate(ctx, run, window - 1);
      const own = await trainOnPages(ctx, run, base, plan.pagesOf(ctx.hotkey.address), (s) => plan.batchSeed(ctx.hotkey.address, s), run.inner.steps);
      if (copied) {
        const dense = denseOf(run, copied);
        for (const [name, d] of own) {
          const c = dense.get(name)!;
          for (let i = 0; i < d.length; i++) d[i] = 0.5 * d[i]! + 0.5 * c[i]!;
        }
      }
      await upload(sign(compress(own)));
      break;
    }
    case 'steal-frame': {
      // Its own server claims every object is an hour old; it serves a victim's sealed object as its own.
      const deadlineMs = await untilBlock(ctx, blocks.deadlineBlock - 1);
      let stolen: Uint8Array | undefined;
      let victim: { hotkey: string; store: ObjectStore } | undefined;
      while (!stolen && Date.now() < deadlineMs) {
        for (const peer of await otherMiners(ctx)) {
          stolen = await peer.store.get(sealedUpdateKey(window, peer.hotkey), { maxBytes: 64 << 20, timeoutMs: 2000 }).then((o) => o.body, () => undefined);
          if (stolen) {
            victim = peer;
            break;
          }
        }
        if (!stolen) await sleep(300);
      }
      if (!stolen || !victim) return log('nothing to steal this window', { window });
      await ctx.put(sealedUpdateKey(window, ctx.hotkey.address), stolen);
      await untilBlock(ctx, blocks.deadlineBlock);
      for (let i = 0; i < 20 && !key; i++) {
        key = await victim.store.get(sealKeyKey(window, victim.hotkey), { maxBytes: 64, timeoutMs: 2000 }).then((o) => o.body, () => undefined);
        if (!key) await sleep(200);
      }
      sealedKey = sealedUpdateKey(window, ctx.hotkey.address);
      break;
    }
    case 'swap': {
      const noise = new Map(paramTable(run.model).map((p) => [p.name, createPrng(`swap/${window}`).fillNormal(new Float32Array(p.shape.reduce((a, b) => a * b, 1)), 1e-3)]));
      const copied = await revealedUpdate(ctx, run, window - 1);
      const versions = [sign(compress(noise)), ...(copied ? [sign(compress(denseOf(run, copied)))] : [])];
      const seal = sealUpdate(versions[0]!);
      // The same key opens every version, so whichever one a validator pinned, the reveal opens it.
      const sealed = versions.map((v) => sealUpdate(v, seal.key).sealed);
      ctx.endpoint!.alternate(sealedUpdateKey(window, ctx.hotkey.address), sealed);
      key = seal.key;
      sealedKey = sealedUpdateKey(window, ctx.hotkey.address);
      break;
    }
    case 'scaled': {
      const own = await trainOnPages(ctx, run, base, plan.pagesOf(ctx.hotkey.address), (s) => plan.batchSeed(ctx.hotkey.address, s), 1);
      for (const d of own.values()) for (let i = 0; i < d.length; i++) d[i] = d[i]! * 2.5;
      await upload(sign(compress(own)));
      break;
    }
    case 'opt-out': {
      const noise = new Map(paramTable(run.model).map((p) => [p.name, createPrng(`optout/${window}`).fillNormal(new Float32Array(p.shape.reduce((a, b) => a * b, 1)), 1e-3)]));
      await upload(sign(compress(noise)));
      reveal = false;
      break;
    }
    case 'sybil': {
      const shared = join(ctx.shareDir!, `${window}.json`);
      let tensors: CompressedTensor[];
      if (ctx.leader) {
        const own = await trainOnPages(ctx, run, base, plan.pagesOf(ctx.hotkey.address), (s) => plan.batchSeed(ctx.hotkey.address, s), run.inner.steps);
        tensors = compress(own) as CompressedTensor[];
        writeFileSync(shared, Buffer.from(sign(tensors)).toString('base64'));
      } else {
        const deadlineMs = await untilBlock(ctx, blocks.deadlineBlock - 1);
        while (!existsSync(shared) && Date.now() < deadlineMs) await sleep(200);
        if (!existsSync(shared)) return;
        tensors = [...decodeGradient(Buffer.from(readFileSync(shared, 'utf8'), 'base64'), { params: paramTable(run.model) }).tensors];
      }
      await upload(sign(tensors));
      break;
    }
  }
  if (!sealedKey || !key) return;
  log('uploaded', { mode: ctx.mode, window, block: await currentBlock(ctx.client) });
  if (!reveal) return log('withholding the seal key', { window });
  await untilBlock(ctx, blocks.deadlineBlock);
  await ctx.put(sealKeyKey(window, ctx.hotkey.address), key);
}

/** Resolves when the chain reaches `block`; returns an estimate (ms since epoch) of when it will. */
async function untilBlock(ctx: Ctx, block: number): Promise<number> {
  for (;;) {
    const now = await currentBlock(ctx.client);
    if (now >= block) return Date.now();
    if (block - now > 1) return Date.now() + (block - now) * 500;
    await sleep(100);
  }
}

/** Every other miner (no validator permit, not this cheater) with a readable bucket, lowest uid first. */
async function otherMiners(ctx: Ctx): Promise<Array<{ hotkey: string; store: ObjectStore }>> {
  const out: Array<{ hotkey: string; store: ObjectStore }> = [];
  for (const row of await readNeuronRows(ctx.client, ctx.netuid)) {
    if (row.validatorPermit || row.hotkey === ctx.hotkey.address) continue;
    const p = pointerFromCommitment(row.commitment);
    const store = p ? ctx.peers.get(p) : undefined;
    if (store) out.push({ hotkey: row.hotkey, store });
  }
  return out;
}

/** The first revealed update of `window` that opens, from any other miner's bucket. */
async function revealedUpdate(ctx: Ctx, run: RunConfig, window: number): Promise<CompressedTensor[] | undefined> {
  for (const peer of await otherMiners(ctx)) {
    try {
      const sealed = await peer.store.get(sealedUpdateKey(window, peer.hotkey), { maxBytes: 64 << 20, timeoutMs: 3000 });
      const key = await peer.store.get(sealKeyKey(window, peer.hotkey), { maxBytes: 64, timeoutMs: 3000 });
      return [...decodeGradient(openSealed(sealed.body, key.body), { params: paramTable(run.model) }).tensors];
    } catch {
      // not this one
    }
  }
  return undefined;
}

function denseOf(run: RunConfig, tensors: readonly CompressedTensor[]): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const t of tensors) {
    const s = decompressTensor(t, run.codec);
    const d = new Float32Array(t.shape.reduce((a, b) => a * b, 1));
    s.indices.forEach((i, k) => (d[i] = s.values[k]!));
    out.set(t.name, d);
  }
  return out;
}

async function training(ctx: Ctx, run: RunConfig): Promise<NonNullable<Ctx['training']>> {
  if (!ctx.training) {
    const table = paramTable(run.model);
    const params: GptParams = new Map(table.map((p) => [p.name, new Float32Array(p.shape.reduce((a, b) => a * b, 1))]));
    const trainer = await Trainer.create({ config: run.model, params, batch: run.inner.batchSize, threads: 1, adamw: { weightDecay: run.inner.weightDecay, maxGradNorm: run.inner.gradClip }, withEval: false });
    const corpus = await loadCorpus(run.corpus.source, { pageSize: run.corpus.pageSize, valEvery: run.corpus.valEvery });
    ctx.training = { trainer, corpus, fresh: trainer.optimizer.exportState() };
  }
  return ctx.training;
}

/** `steps` AdamW steps from the base on the given batches; returns θ_start − θ_end. */
async function train(ctx: Ctx, run: RunConfig, base: HeldCheckpoint, steps: number, batchOf: (step: number) => Batch): Promise<Map<string, Float32Array>> {
  const { trainer, fresh } = await training(ctx, run);
  for (const [name, p] of trainer.params) p.set(base.checkpoint.params.get(name)!);
  trainer.optimizer.importState(fresh);
  const B = run.inner.batchSize;
  const T = run.model.blockSize;
  for (let step = 0; step < steps; step++) {
    const b = batchOf(step);
    // Evaluation batches hold more sequences than a training step: take B of them at a time.
    const rows = b.inputs.length / T;
    const at = ((step * B) % rows) * T;
    const take = (x: ArrayLike<number>) => Array.from({ length: B * T }, (_, i) => x[(at + i) % x.length]!);
    await trainer.step({ tokens: take(b.inputs), targets: take(b.targets) }, run.inner.learningRate);
  }
  const delta = new Map<string, Float32Array>();
  for (const [name, p] of trainer.params) delta.set(name, base.checkpoint.params.get(name)!.map((b, i) => b - p[i]!));
  return delta;
}

function trainOnPages(ctx: Ctx, run: RunConfig, base: HeldCheckpoint, pages: number[], seedOf: (step: number) => Uint8Array, steps: number) {
  return training(ctx, run).then(({ corpus }) => train(ctx, run, base, steps, (s) => corpus.trainBatch(pages, run.inner.batchSize, run.model.blockSize, seedOf(s))));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`cheater failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
