/**
 * A cheating miner for the adversarial suite, run as its own process with the honest miner's flags
 * (crucible-local passes them) plus `--cheat <mode>`. It uses only the public packages, registers
 * nothing (crucible-local did), commits its bucket, and every window uploads a signed update built
 * from someone else's work instead of training:
 *   noise    an honest update's sparsity pattern with random values (no information)
 *   copycat  an honest update of the same window, re-signed as its own
 *   scaled   an honest update of the same window scaled ×50 (a poisoning magnitude)
 *   replay   an honest update of an earlier window, re-signed for this one
 *   late     an honest update of the same window, uploaded after the window's deadline
 *   other-pages  a real update, trained with the miner's inner loop settings on the pages assigned to
 *                another hotkey instead of its own
 * Test-only code: it is not part of any package and never runs outside test/.
 */
import { cryptoReady, keypairFromUri, loadHotkey, windowOf, windowStartBlock, type Keypair } from '@crucible/core';
import { createErrorFeedback, decodeGradient, encodeGradient, sparseLoCoStep, type CompressedTensor, type ErrorFeedback } from '@crucible/codec';
import { blockHashAt, connectChain, currentBlock, ensureCommitment, genesisHash, readNeuronRows, watchBlocks, type ChainClient } from '@crucible/chain';
import { loadCorpus, paramTable, Trainer, type Corpus, type GptParams } from '@crucible/model';
import { fetchManifest, fetchParams, listCheckpointWindows, pickBaseWindow, windowPlan, type Manifest } from '@crucible/protocol';
import { createS3Store, encodeBucketPointer, gradientKey, PeerStores, pointerFromCommitment, type ObjectStore } from '@crucible/storage';

type Mode = 'noise' | 'copycat' | 'scaled' | 'replay' | 'late' | 'other-pages';
const MODES: readonly Mode[] = ['noise', 'copycat', 'scaled', 'replay', 'late', 'other-pages'];

function flags(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.set(a.slice(2), next);
      i++;
    } else out.set(a.slice(2), 'true');
  }
  return out;
}

function log(msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', name: 'cheater', msg, ...fields }) + '\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const f = flags(process.argv.slice(2));
  const need = (k: string) => {
    const v = f.get(k);
    if (v === undefined) throw new Error(`missing --${k}`);
    return v;
  };
  const mode = need('cheat') as Mode;
  if (!MODES.includes(mode)) throw new Error(`--cheat must be one of ${MODES.join(', ')}`);
  await cryptoReady();
  const hotkey: Keypair = await loadHotkey({ path: need('wallet.path'), name: need('wallet.name'), hotkey: f.get('wallet.hotkey') ?? 'default' });
  const netuid = Number(need('netuid'));
  const client: ChainClient = await connectChain({ endpoint: need('chain.endpoint') });
  const creds = { accessKeyId: need('storage.write.access-key-id'), secretAccessKey: need('storage.write.secret-access-key') };
  const bucket = { endpoint: need('storage.endpoint'), region: need('storage.region'), bucket: need('storage.bucket'), read: creds, write: creds, forcePathStyle: true };
  const own = createS3Store(bucket, { access: 'write' });
  await own.ensureBucket();
  const pointer = encodeBucketPointer({ kind: 's3', endpoint: bucket.endpoint, region: bucket.region, bucket: bucket.bucket, accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey });
  await ensureCommitment(client, hotkey, netuid, pointer);
  log('cheater started', { mode, hotkey: hotkey.address });

  // The run configuration and the checkpoint windows, from the manifests in the committed buckets.
  // Every bucket of the local subnet is on the loopback S3 server.
  const peerStores = new PeerStores({ policy: { allowPrivateEndpoints: true } });
  const peers = async () => {
    const stores: Array<{ hotkey: string; store: ObjectStore }> = [];
    for (const row of await readNeuronRows(client, netuid)) {
      const p = pointerFromCommitment(row.commitment);
      const s = p && row.hotkey !== hotkey.address ? peerStores.get(p) : undefined;
      if (s) stores.push({ hotkey: row.hotkey, store: s });
    }
    return stores;
  };
  let run: Manifest['run'] | undefined;
  const checkpoints = new Map<number, string>();
  const manifests = new Map<number, { manifest: Manifest; store: ObjectStore }>();
  const refreshCheckpoints = async (stores: Array<{ store: ObjectStore }>) => {
    for (const { store } of stores) {
      for (const w of await listCheckpointWindows(store).catch(() => [] as number[])) {
        if (checkpoints.has(w)) continue;
        const signed = await fetchManifest(store, w).catch(() => undefined);
        if (!signed) continue;
        checkpoints.set(w, signed.manifest.paramsHash);
        manifests.set(w, { manifest: signed.manifest, store });
        run ??= signed.manifest.run;
      }
    }
  };

  const honestUpload = async (stores: Array<{ hotkey: string; store: ObjectStore }>, window: number): Promise<CompressedTensor[] | undefined> => {
    if (!run) return undefined;
    for (const { hotkey: h, store } of stores) {
      const key = gradientKey(window, h);
      if (!(await store.head(key).catch(() => undefined))) continue;
      try {
        const object = await store.get(key, { maxBytes: 64 * 1024 * 1024, timeoutMs: 10_000 });
        return [...decodeGradient(object.body, { params: paramTable(run.model as Parameters<typeof paramTable>[0]) }).tensors];
      } catch {
        // an update that doesn't decode is no use to a cheater either
      }
    }
    return undefined;
  };

  // other-pages: the honest inner loop, on a decoy hotkey's pages, with its own error feedback.
  const decoy = keypairFromUri('//crucible-other-pages-decoy').address;
  let training: { trainer: Trainer; corpus: Corpus; ef: ErrorFeedback } | undefined;
  let trainingBusy = false;
  const trainOnOtherPages = async (window: number, baseWindow: number, deadline: number): Promise<CompressedTensor[] | undefined> => {
    const r = run!;
    const table = paramTable(r.model as Parameters<typeof paramTable>[0]);
    if (!training) {
      const params: GptParams = new Map(table.map((p) => [p.name, new Float32Array(p.shape.reduce((a, b) => a * b, 1))]));
      const trainer = await Trainer.create({ config: r.model as Parameters<typeof paramTable>[0], params, batch: r.inner.batchSize, threads: 1, adamw: { weightDecay: r.inner.weightDecay, maxGradNorm: r.inner.gradClip }, withEval: false });
      training = { trainer, corpus: await loadCorpus(r.corpus.source, { pageSize: r.corpus.pageSize, valEvery: r.corpus.valEvery }), ef: createErrorFeedback(table) };
    }
    const { trainer, corpus, ef } = training;
    const held = manifests.get(baseWindow)!;
    const base = (await fetchParams(held.store, held.manifest)).params;
    for (const [name, p] of trainer.params) p.set(base.get(name)!);
    const plan = windowPlan(r, { genesisHash: genesisHash(client), window, windowBlockHash: await blockHashAt(client, windowStartBlock(window, r.window.blocksPerWindow)) });
    const pages = plan.pagesOf(decoy);
    for (let step = 0; step < r.inner.steps; step++) {
      if ((await currentBlock(client)) >= deadline - 2) break;
      const batch = corpus.trainBatch(pages, trainer.session.batch, r.model.blockSize, plan.batchSeed(decoy, step));
      await trainer.step({ tokens: batch.inputs, targets: batch.targets }, r.inner.learningRate);
    }
    const delta = new Map<string, Float32Array>();
    for (const [name, p] of trainer.params) delta.set(name, base.get(name)!.map((b, i) => b - p[i]!));
    return sparseLoCoStep(ef, delta, r.codec);
  };

  const act = async (window: number, blocksPerWindow: number) => {
    const stores = await peers();
    await refreshCheckpoints(stores);
    if (!run) return;
    const baseWindow = pickBaseWindow(checkpoints.keys(), window);
    if (baseWindow === undefined) return;
    const base = checkpoints.get(baseWindow)!;
    const deadline = windowStartBlock(window + 1, blocksPerWindow);
    let tensors: CompressedTensor[] | undefined;
    if (mode === 'other-pages') {
      // One trainer: a window whose training would overlap the previous one's is skipped.
      if (trainingBusy) return log('still training the previous window', { window });
      trainingBusy = true;
      try {
        tensors = await trainOnOtherPages(window, baseWindow, deadline);
      } finally {
        trainingBusy = false;
      }
    } else if (mode === 'replay') {
      for (let back = 1; back <= 3 && !tensors; back++) tensors = await honestUpload(stores, window - back);
    } else {
      // Wait for an honest upload of this window, until the deadline (later ones are late anyway).
      while (!tensors && (await currentBlock(client)) < deadline + (mode === 'late' ? 2 : 0)) {
        tensors = await honestUpload(stores, window);
        if (!tensors) await sleep(200);
      }
    }
    if (!tensors) return log('nothing to copy this window', { window });
    const bins = 1 << run.codec.bits;
    if (mode === 'noise') tensors = tensors.map((t) => ({ ...t, codes: t.codes.map(() => Math.floor(Math.random() * bins)) }));
    if (mode === 'scaled') tensors = tensors.map((t) => ({ ...t, lut: t.lut.map((v) => v * 50) }));
    if (mode === 'late') while ((await currentBlock(client)) < deadline + 2) await sleep(200);
    const bytes = encodeGradient({ window, baseCheckpoint: base, config: run.codec, tensors, signer: hotkey });
    await own.put(gradientKey(window, hotkey.address), bytes, { contentType: 'application/octet-stream' });
    log('uploaded', { mode, window, baseWindow, bytes: bytes.length, block: await currentBlock(client) });
  };

  // blocksPerWindow comes from the run configuration; until it is known, poll for it.
  while (!run) {
    await refreshCheckpoints(await peers());
    if (!run) await sleep(1000);
  }
  const bpw = run.window.blocksPerWindow;
  const unsubscribe = await watchBlocks(client, bpw, (tick) => {
    if (!tick.windowChanged) return;
    act(tick.window, bpw).catch((error: unknown) => log('window failed', { window: tick.window, error: String(error) }));
  });
  log('following windows', { blocksPerWindow: bpw, window: windowOf(await currentBlock(client), bpw) });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  unsubscribe();
  await client.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`cheater failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
