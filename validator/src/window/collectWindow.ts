import { blake2b256, describeError, isCrucibleError, type Logger } from '@crucible/core';
import { pinUpload, SEAL_KEY_BYTES, sealedKeyHash, windowBlocks, type RunConfig } from '@crucible/protocol';
import { CONTENT_HASH_METADATA, contentHash, sealedUpdateKey, sealKeyKey, type ObjectStore, type S3Pointer } from '@crucible/storage';
import type { BlockObserver } from './blockObserver.js';

/**
 * Collecting one window's sealed uploads, as this validator observes them (never as a miner's server
 * describes them):
 *   during the window   poll each miner's exact key (no listing); fetch the bytes whenever the server's
 *                       description changes; a content hash seen for the first time is a sighting at
 *                       this validator's clock
 *   at the deadline     once this validator has seen the deadline block, one last fetch of every miner
 *                       without an upload, until the cutoff (deadline seen + grace); then the newest
 *                       content first seen by the cutoff is pinned (protocol pinUpload)
 *   until the reveal    fetch each pinned miner's seal key; only a key seen before this validator saw the
 *                       reveal block counts (the reveal block's hash seeds evaluation)
 * Every request to a miner's endpoint is bounded in time and bytes, and each miner has a budget for the
 * window: a slow or hostile endpoint costs its own miner a verdict and nobody else anything.
 */
export interface Miner {
  uid: number;
  hotkey: string;
  pointer: S3Pointer | undefined;
  store: ObjectStore | undefined;
}

export interface CollectionBudget {
  /** Time one request may take, body included. */
  requestMs: number;
  /** Time all of one miner's requests in one window may take together. */
  minerMs: number;
  /** Bytes one miner's endpoint may send in one window, all bodies together. */
  minerBytes: number;
  /** Miners fetched at once. */
  concurrency: number;
}

export type MinerCollection =
  | { uid: number; hotkey: string; status: 'on_time'; sealed: Uint8Array; contentHash: string; firstSeenAt: number; key: Uint8Array | undefined; keyDetail: string }
  | { uid: number; hotkey: string; status: 'late' | 'missing' | 'unavailable'; detail: string };

export interface CollectedWindow {
  window: number;
  /** False when this validator did not watch the window up to its deadline (it started later): not rated. */
  observed: boolean;
  cutoff: number;
  /** This validator's clock when it saw the deadline block, and when collection ended (seal keys included); unset for a collection loaded for replay. */
  deadlineSeenAt?: number | undefined;
  finishedAt?: number;
  miners: MinerCollection[];
}

export interface CollectOptions {
  window: number;
  run: RunConfig;
  blocks: BlockObserver;
  /** The miners to watch now (refreshed every poll round until the deadline). */
  miners: () => Promise<readonly Miner[]>;
  /** The miners as of the deadline block: the window's definitive set. */
  deadlineMiners: () => Promise<readonly Miner[]>;
  /** Largest sealed update a miner may upload (bytes). */
  maxBytes: number;
  pollIntervalMs: number;
  lateGraceMs: number;
  budget: CollectionBudget;
  signal: AbortSignal;
  logger?: Logger;
}

interface Track {
  miner: Miner;
  hint: string | undefined;
  /** Newest content first seen by the cutoff (bytes kept), and when content was first seen after it. */
  onTime: { sealed: Uint8Array; contentHash: string; firstSeenAt: number } | undefined;
  lateAt: number | undefined;
  hashes: Set<string>;
  key: Uint8Array | undefined;
  keyDetail: string;
  spentMs: number;
  spentBytes: number;
  failure: string | undefined;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export async function collectWindow(o: CollectOptions): Promise<CollectedWindow> {
  const { window, blocks, signal } = o;
  const plan = windowBlocks(o.run, window);
  const tracks = new Map<string, Track>();
  const track = (m: Miner): Track => {
    let t = tracks.get(m.hotkey);
    if (!t) tracks.set(m.hotkey, (t = { miner: m, hint: undefined, onTime: undefined, lateAt: undefined, hashes: new Set(), key: undefined, keyDetail: 'not revealed', spentMs: 0, spentBytes: 0, failure: undefined }));
    else if (m.store !== t.miner.store) t.miner = m;
    return t;
  };
  // A validator that starts after the deadline block cannot say who was on time: it leaves the window unrated.
  const observedFromStart = blocks.bestBlock < plan.deadlineBlock;
  let cutoff = Number.POSITIVE_INFINITY;

  /** One bounded request to a miner's endpoint, charged to its budget; failures are recorded, not thrown. */
  const attempt = async <T>(t: Track, what: string, run: (store: ObjectStore) => Promise<T>, until = Number.POSITIVE_INFINITY): Promise<T | undefined> => {
    const store = t.miner.store;
    if (!store) {
      t.failure ??= 'no readable bucket committed';
      return undefined;
    }
    if (t.spentMs >= o.budget.minerMs) {
      t.failure ??= `endpoint budget of ${o.budget.minerMs} ms for the window exhausted`;
      return undefined;
    }
    if (t.spentBytes >= o.budget.minerBytes) {
      t.failure ??= `endpoint budget of ${o.budget.minerBytes} bytes for the window exhausted`;
      return undefined;
    }
    const started = Date.now();
    // Past `until` an answer no longer matters (the cutoff, the reveal block): nobody waits for it.
    if (started >= until) return undefined;
    const limit = Math.max(1, Math.min(o.budget.requestMs, o.budget.minerMs - t.spentMs, until - started));
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${limit} ms`)), limit)));
      return await Promise.race([run(store), timeout]);
    } catch (error) {
      if (isCrucibleError(error, 'STORAGE_NOT_FOUND')) return undefined;
      t.failure = `${what}: ${String(describeError(error).message)}`;
      return undefined;
    } finally {
      clearTimeout(timer);
      t.spentMs += Date.now() - started;
    }
  };

  /** Fetches the sealed object when it is new or its description changed; records a first sighting. */
  const pollUpload = async (t: Track, force: boolean, until?: number) => {
    const key = sealedUpdateKey(window, t.miner.hotkey);
    if (!force) {
      const head = await attempt(t, 'head', (s) => s.head(key), until);
      if (!head) return;
      const hint = `${head.size}|${head.lastModified?.getTime() ?? ''}|${head.metadata[CONTENT_HASH_METADATA] ?? ''}`;
      if (hint === t.hint) return;
      t.hint = hint;
    }
    const object = await attempt(t, 'get', (s) => s.get(key, { maxBytes: Math.min(o.maxBytes, o.budget.minerBytes - t.spentBytes), timeoutMs: o.budget.requestMs }), until);
    if (!object) return;
    t.spentBytes += object.body.length;
    const seenAt = Date.now();
    const hash = contentHash(object.body);
    if (t.hashes.has(hash)) return;
    t.hashes.add(hash);
    if (seenAt <= cutoff) t.onTime = { sealed: object.body, contentHash: hash, firstSeenAt: seenAt };
    else t.lateAt ??= seenAt;
  };

  const forEachMiner = async (list: readonly Track[], f: (t: Track) => Promise<void>) => {
    let next = 0;
    const worker = async () => {
      while (next < list.length && !signal.aborted) await f(list[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(o.budget.concurrency, list.length) }, worker));
  };

  // During the window: poll every miner's exact key.
  while (!signal.aborted && blocks.bestBlock < plan.deadlineBlock) {
    const roundStarted = Date.now();
    const miners = await o.miners().catch(() => [] as readonly Miner[]);
    // A round that a slow endpoint holds up ends at the deadline block for this loop (its requests run
    // out on their own bounds): the deadline phase starts on time.
    await Promise.race([forEachMiner(miners.map(track), (t) => pollUpload(t, false)), blocks.reached(plan.deadlineBlock, signal)]);
    await Promise.race([sleep(Math.max(0, o.pollIntervalMs - (Date.now() - roundStarted)), signal), blocks.reached(plan.deadlineBlock, signal)]);
  }
  const deadlineSeenAt = blocks.seen(plan.deadlineBlock);
  if (deadlineSeenAt !== undefined) cutoff = deadlineSeenAt + o.lateGraceMs;

  // At the deadline: the definitive set, one last look at whoever has nothing yet, until the cutoff.
  const definitive = (await o.deadlineMiners().catch(() => [] as readonly Miner[])).map(track);
  const present = new Set(definitive.map((t) => t.miner.hotkey));
  for (const h of [...tracks.keys()]) if (!present.has(h)) tracks.delete(h);
  // Bounded by the cutoff: content first seen after it is late anyway, and the seal keys of the pinned
  // uploads must be fetched before the reveal block, so a slow endpoint must not hold this phase up.
  await forEachMiner(definitive.filter((t) => !t.onTime), (t) => pollUpload(t, true, Number.isFinite(cutoff) ? cutoff : Date.now() + o.lateGraceMs));

  // Until the reveal block: the seal keys of pinned uploads.
  const pinned = (t: Track) => (t.onTime ? pinUpload([t.onTime], cutoff) : { status: 'missing' as const });
  const waiting = () => definitive.filter((t) => pinned(t).status === 'on_time' && t.key === undefined && t.spentMs < o.budget.minerMs && t.spentBytes < o.budget.minerBytes);
  while (!signal.aborted && blocks.bestBlock < plan.revealBlock && waiting().length > 0) {
    const roundStarted = Date.now();
    await forEachMiner(waiting(), async (t) => {
      const object = await attempt(t, 'get seal key', (s) => s.get(sealKeyKey(window, t.miner.hotkey), { maxBytes: 64, timeoutMs: o.budget.requestMs }));
      if (!object) {
        // A failed key fetch is retried next round; it says something about the key, not the upload.
        if (t.failure) [t.keyDetail, t.failure] = [t.failure, undefined];
        return;
      }
      if (blocks.bestBlock >= plan.revealBlock) return void (t.keyDetail = 'seal key revealed after the reveal block');
      let committed: Uint8Array;
      try {
        committed = sealedKeyHash(t.onTime!.sealed);
      } catch (error) {
        return void (t.keyDetail = `not a sealed update: ${String(describeError(error).message)}`);
      }
      if (object.body.length !== SEAL_KEY_BYTES) return void (t.keyDetail = `seal key is ${object.body.length} bytes`);
      if (!Buffer.from(committed).equals(Buffer.from(blake2b256(object.body)))) return void (t.keyDetail = 'revealed key does not match the committed hash');
      t.key = object.body;
    });
    await Promise.race([sleep(Math.max(0, Math.min(1000, o.pollIntervalMs) - (Date.now() - roundStarted)), signal), blocks.reached(plan.revealBlock, signal)]);
  }
  // Whoever had nothing by the cutoff: late if it is there now, else missing.
  await forEachMiner(definitive.filter((t) => !t.onTime && t.lateAt === undefined && !t.failure), async (t) => {
    const head = await attempt(t, 'head', (s) => s.head(sealedUpdateKey(window, t.miner.hotkey)));
    if (head) t.lateAt = Date.now();
  });

  const miners: MinerCollection[] = definitive
    .map((t): MinerCollection => {
      const { uid, hotkey } = t.miner;
      const pin = pinned(t);
      if (pin.status === 'on_time') return { uid, hotkey, status: 'on_time', ...t.onTime!, key: t.key, keyDetail: t.key ? 'revealed' : t.keyDetail };
      if (t.lateAt !== undefined) return { uid, hotkey, status: 'late', detail: `first seen ${t.lateAt - cutoff} ms after the cutoff (deadline block seen + ${o.lateGraceMs} ms)` };
      if (t.failure) return { uid, hotkey, status: 'unavailable', detail: t.failure };
      return { uid, hotkey, status: 'missing', detail: `no ${sealedUpdateKey(window, hotkey)}` };
    })
    .sort((a, b) => a.uid - b.uid);
  o.logger?.debug('window collected', { window, observed: observedFromStart && deadlineSeenAt !== undefined, onTime: miners.filter((m) => m.status === 'on_time').length });
  return { window, observed: observedFromStart && deadlineSeenAt !== undefined, cutoff, deadlineSeenAt, finishedAt: Date.now(), miners };
}

