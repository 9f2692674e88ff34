import { CrucibleError, describeError, type Logger } from '@crucible/core';
import { hashCheckpoint, type Checkpoint } from '@crucible/model';
import type { RunConfig } from '../run/runConfig.js';
import { listCheckpointWindows, MAX_MANIFEST_BYTES } from './checkpointStore.js';
import { SyncReads, type CheckpointSource, type FollowedLink, type Rejection } from './followerReads.js';
import { decodeManifest, sameRun, type Manifest, type SignedManifest } from './manifest.js';
import type { SignerPolicy } from './signerPolicy.js';
import type { RetryPolicy } from './transient.js';

/**
 * Follows the subnet's chain of checkpoints from the newest one a node can trust, not from genesis
 * (the full argument is in this package's README, "Joining"):
 *   1. the run configuration comes from what the node holds, or else from genesis, found in the subnet
 *      owner's bucket and signed by the owner's hotkey;
 *   2. the head: for windows w from the newest down, the aggregator elected at the first block of w + 1
 *      is computed from recent chain state and `checkpoints/<w>/manifest.crm` is read from its bucket
 *      (one GET per window, no listing). The first whose signature verifies, whose signer is the one
 *      elected and whose run configuration is the chain's, is the head. Only windows whose election
 *      block is within `horizonBlocks` of the best block are searched (a lite node keeps ~256 blocks);
 *      beyond that, one bounded listing of the candidate buckets is the fallback;
 *   3. ancestors: walked back through parentHash, each authentic because a trusted child names its
 *      parameters' hash — no historical chain state — only as far as needed: `links` manifests for a
 *      node that holds nothing, or until the walk meets the chain it holds (at most `maxWalk`);
 *   4. parameters: downloaded and hash-checked for the newest `keep` links only.
 * Proven forgeries are refused and never read again; failed reads are retried with backoff and tried
 * again next sync, never refused. The head always has its parameters: a head whose parameters cannot be
 * read yet is not taken, and the last good head stays.
 */
export interface HeldCheckpoint {
  manifest: Manifest;
  signer: string;
  checkpoint: Checkpoint;
}

export interface SyncResult {
  /** Links added to the chain, oldest first. */
  accepted: Manifest[];
  /** Proven forgeries found this sync (each refused for good). */
  rejected: Rejection[];
  /** Reads that kept failing this sync (tried again at the next). */
  transient: Rejection[];
}

/** A link as persisted by a node (manifest bytes as published, parameters when it held them). */
export interface SavedLink {
  bytes: Uint8Array;
  source: string;
  checkpoint?: Checkpoint;
}

export interface FollowerOptions {
  policy: SignerPolicy;
  /** Newest links whose parameters are downloaded and held: what the node trains or evaluates on (default 3). */
  keep?: number;
  /** Manifests walked back from a head that nothing held connects to (default 4: covers the bases a validator rates against). */
  links?: number;
  /** Most manifests walked back to meet the held chain before starting over from the new head (default 64). */
  maxWalk?: number;
  /** How far back (in blocks) the chain is asked for elections while searching for the head (default 256). */
  horizonBlocks?: number;
  /** Newest listed windows tried when the head is beyond the horizon (default 8). */
  listFallback?: number;
  retry?: RetryPolicy;
  paramsTimeoutMs?: number;
  logger?: Logger;
}

const MAX_MANIFESTS = 512;
const LIST_EVERY_MS = 60_000;

export class CheckpointFollower {
  private chain: FollowedLink[] = [];
  private params = new Map<string, Checkpoint>();
  private genesisLink: FollowedLink | undefined;
  private readonly refused = new Map<string, string>();
  /** Windows whose elected aggregator published nothing, settled (no later look needed). */
  private readonly absent = new Set<number>();
  private lastListing = -Infinity;

  constructor(private readonly options: FollowerOptions) {}

  private get keep(): number {
    return Math.max(1, this.options.keep ?? 3);
  }

  private get linksWanted(): number {
    return Math.max(1, this.options.links ?? 4);
  }

  head(): HeldCheckpoint | undefined {
    const last = this.chain.at(-1);
    return last ? this.held(last.manifest.window) : undefined;
  }

  /** Links held, oldest first, each the parent of the next. */
  links(): readonly FollowedLink[] {
    return this.chain;
  }

  /** Manifests of the links held, oldest first. */
  manifests(): Manifest[] {
    return this.chain.map((l) => l.manifest);
  }

  /** The held checkpoint of `window`, when its parameters are held. */
  held(window: number): HeldCheckpoint | undefined {
    const link = this.chain.findLast((l) => l.manifest.window === window);
    const checkpoint = link ? this.params.get(link.manifest.paramsHash) : undefined;
    return link && checkpoint ? { manifest: link.manifest, signer: link.signer, checkpoint } : undefined;
  }

  /** What a node persists to resume from after a restart: the newest links, with parameters where held. */
  saved(): SavedLink[] {
    return this.chain.slice(-Math.max(this.keep, this.linksWanted)).map((l) => {
      const checkpoint = this.params.get(l.manifest.paramsHash);
      return { bytes: l.bytes, source: l.source, ...(checkpoint ? { checkpoint } : {}) };
    });
  }

  /**
   * Resumes from links this node saved (oldest first). Each is re-verified offline — its signature,
   * its link to the one before, its parameters' hash, one run configuration — and trusted as this node
   * verified it before (no chain read, so a restart needs no historical state). The links up to the
   * first that fails are kept; the head must have its parameters. Returns how many were taken.
   */
  restore(saved: readonly SavedLink[]): number {
    let links: FollowedLink[] = [];
    let params = new Map<string, Checkpoint>();
    for (const s of saved) {
      try {
        const signed = decodeManifest(s.bytes, { maxBytes: MAX_MANIFEST_BYTES });
        const m = signed.manifest;
        const prev = links.at(-1);
        if (prev && (m.parentHash !== prev.manifest.paramsHash || m.parentWindow !== prev.manifest.window || !sameRun(m.run, prev.manifest.run))) {
          links = [];
          params = new Map();
        }
        if (s.checkpoint) {
          const hash = hashCheckpoint(s.checkpoint);
          if (hash !== m.paramsHash) throw new CrucibleError('CHECKPOINT_INVALID', `saved parameters of window ${m.window} hash to ${hash}, the manifest says ${m.paramsHash}`);
          params.set(m.paramsHash, s.checkpoint);
        }
        links.push({ manifest: m, signer: signed.signer, source: s.source, bytes: s.bytes, trust: 'saved' });
      } catch (error) {
        // What verified so far stays; nothing after a link that fails can be linked to it.
        this.options.logger?.warn('saved checkpoint failed re-verification; dropped', { reason: describeError(error).message });
        break;
      }
    }
    while (links.length > 0 && !params.has(links.at(-1)!.manifest.paramsHash)) links.pop();
    this.chain = links;
    this.params = params;
    this.trim();
    return links.length;
  }

  /** Takes a checkpoint this node made (or verified some other way) as the new head. */
  adopt(held: HeldCheckpoint & { bytes: Uint8Array; source?: string }): void {
    const m = held.manifest;
    const link: FollowedLink = { manifest: m, signer: held.signer, source: held.source ?? held.signer, bytes: held.bytes, trust: 'own' };
    const at = m.parentHash === null ? -1 : this.chain.findIndex((l) => l.manifest.paramsHash === m.parentHash && l.manifest.window === m.parentWindow);
    this.chain = at >= 0 ? [...this.chain.slice(0, at + 1), link] : [link];
    this.params.set(m.paramsHash, held.checkpoint);
    this.trim();
  }

  /** Looks for a newer head than the one held and, when one verifies, takes it with what it needs. */
  async sync(sources: readonly CheckpointSource[]): Promise<SyncResult> {
    const reads = new SyncReads(sources, this.refused, this.options.retry ?? {}, this.options.logger);
    const result = (accepted: Manifest[] = []): SyncResult => ({ accepted, rejected: reads.rejected, transient: reads.transient });
    const best = await reads.attempt({ source: 'chain', window: -1 }, () => this.options.policy.bestBlock());
    if (best === undefined) return result();
    const run = this.chain.at(-1)?.manifest.run ?? (await this.genesis(reads))?.manifest.run;
    if (!run) return result();
    const found = await this.findHead(reads, best, run);
    if (found === undefined) return result();
    const { links, join } = found === 'genesis' ? { links: [this.genesisLink!], join: -1 } : await this.walkBack(reads, found, run);
    const next = join >= 0 ? [...this.chain.slice(0, join + 1), ...links] : links;
    const fetched = new Map<string, Checkpoint>();
    for (const link of next.slice(-this.keep).reverse()) {
      const hash = link.manifest.paramsHash;
      if (this.params.has(hash) || fetched.has(hash)) continue;
      const checkpoint = await reads.params(link, this.options.paramsTimeoutMs);
      if (checkpoint) fetched.set(hash, checkpoint);
      else if (link === next.at(-1)) return result(); // the head must come with its parameters
    }
    const held = this.chain.at(-1)?.manifest;
    if (held && join < this.chain.length - 1) {
      const info = { held: held.window, head: links.at(-1)!.manifest.window, from: links[0]!.manifest.window };
      // Either the held head is far behind (its descendants were not walked: nothing is needed from
      // them), or the elected aggregator built on something else. The elected signer decides the chain.
      if (join < 0 && links[0]!.manifest.window > held.window) this.options.logger?.info('joined the checkpoint chain ahead of the held head', info);
      else this.options.logger?.warn('the elected head does not descend from the held head; following it', info);
    }
    this.chain = next;
    for (const [hash, checkpoint] of fetched) this.params.set(hash, checkpoint);
    this.trim();
    for (const l of links) this.options.logger?.info('checkpoint accepted', { window: l.manifest.window, paramsHash: l.manifest.paramsHash, signer: l.signer, trust: l.trust });
    return result(links.map((l) => l.manifest));
  }

  /**
   * Walks the held chain further back through parentHash (no chain state read) until at least two links
   * are at or below `window` (the bases of a window replayed from long ago), or genesis.
   */
  async extendBack(sources: readonly CheckpointSource[], window: number): Promise<SyncResult> {
    const reads = new SyncReads(sources, this.refused, this.options.retry ?? {}, this.options.logger);
    const added: Manifest[] = [];
    const run = this.chain[0]?.manifest.run;
    while (run && this.chain.filter((l) => l.manifest.window <= window).length < 2) {
      const parent = await reads.parent(this.chain[0]!, run);
      if (!parent) break;
      this.chain.unshift(parent);
      added.unshift(parent.manifest);
    }
    return { accepted: added, rejected: reads.rejected, transient: reads.transient };
  }

  /** Genesis: in the subnet owner's bucket, signed by the owner's hotkey (read once, then kept). */
  private async genesis(reads: SyncReads): Promise<FollowedLink | undefined> {
    if (this.genesisLink) return this.genesisLink;
    const owner = await reads.attempt({ source: 'chain', window: -1 }, () => this.options.policy.genesisSigner());
    const source = owner === undefined ? undefined : reads.sources.find((s) => s.hotkey === owner);
    if (!owner || !source) return undefined;
    // The owner's bucket normally holds genesis alone; the listing is small and happens once.
    const windows = await reads.attempt({ source: owner, window: -1 }, () => listCheckpointWindows(source.store));
    for (const w of (windows ?? []).slice(0, 8)) {
      const found = await reads.manifest(source, w);
      if (!found || found.signed.manifest.parentHash !== null) continue;
      if (found.signed.signer !== owner) {
        reads.refuse(owner, w, new CrucibleError('CHECKPOINT_INVALID', `genesis signed by ${found.signed.signer}, but the subnet owner's hotkey is ${owner}`));
        continue;
      }
      this.genesisLink = { manifest: found.signed.manifest, signer: owner, source: owner, bytes: found.bytes, trust: 'genesis' };
      return this.genesisLink;
    }
    return undefined;
  }

  /** The newest trusted checkpoint after the held head: by election and exact key, else by a bounded listing. */
  private async findHead(reads: SyncReads, best: number, run: RunConfig): Promise<FollowedLink | 'genesis' | undefined> {
    const bpw = run.window.blocksPerWindow;
    const current = Math.floor(best / bpw);
    const lowest = (this.chain.at(-1)?.manifest.window ?? this.genesisLink!.manifest.window) + 1;
    // Checkpoint w's election block, (w + 1)·bpw, must be within the horizon (with a window to spare).
    const floor = Math.max(lowest, Math.ceil((best - (this.options.horizonBlocks ?? 256)) / bpw));
    for (const w of [...this.absent]) if (w < lowest) this.absent.delete(w);
    const failedBefore = reads.transient.length;
    for (let w = current - 1; w >= floor; w--) {
      if (this.absent.has(w)) continue;
      const election = await reads.attempt({ source: 'chain', window: w }, async () => ({ signer: await this.options.policy.signerFor(w, bpw) }));
      if (!election) return undefined; // the chain did not answer: try again next sync
      const signer = election.signer;
      const before = reads.transient.length;
      if (signer !== undefined) {
        const own = reads.sources.filter((s) => s.hotkey === signer);
        for (const source of own.length > 0 ? own : reads.searched()) {
          const found = await reads.manifest(source, w);
          const link = found && this.elected(reads, source.hotkey, found, signer, run);
          if (link) return link;
        }
      }
      // Checkpoint w is published during window w + 1; from w + 3 on, a missing one stays missing.
      if (reads.transient.length === before && w <= current - 3) this.absent.add(w);
    }
    if (floor === lowest) return this.chain.length === 0 && reads.transient.length === failedBefore ? 'genesis' : undefined;
    return this.findByListing(reads, lowest, run);
  }

  /** The fallback when the held head (or genesis) is older than the horizon: the newest listed windows. */
  private async findByListing(reads: SyncReads, lowest: number, run: RunConfig): Promise<FollowedLink | 'genesis' | undefined> {
    if (Date.now() - this.lastListing < LIST_EVERY_MS) return undefined;
    this.lastListing = Date.now();
    const failedBefore = reads.transient.length;
    const entries: Array<{ window: number; source: CheckpointSource }> = [];
    for (const source of reads.searched()) {
      const windows = await reads.attempt({ source: source.hotkey, window: -1 }, () => listCheckpointWindows(source.store));
      for (const w of windows ?? []) if (w >= lowest && !reads.isRefused(source.hotkey, w)) entries.push({ window: w, source });
    }
    entries.sort((a, b) => b.window - a.window);
    const tries = this.options.listFallback ?? 8;
    for (const e of entries.slice(0, tries)) {
      const found = await reads.manifest(e.source, e.window);
      if (!found || found.signed.manifest.parentHash === null) continue;
      const election = await reads.attempt({ source: 'chain', window: e.window }, async () => ({ signer: await this.options.policy.signerFor(e.window, run.window.blocksPerWindow) }));
      if (!election) {
        this.options.logger?.warn('cannot verify the signer of a checkpoint older than the chain state this endpoint keeps; set --chain.archive-endpoint, or wait for the next checkpoint', { window: e.window });
        continue;
      }
      const link = this.elected(reads, e.source.hotkey, found, election.signer, run);
      if (link) return link;
    }
    const settled = reads.transient.length === failedBefore && entries.length <= tries;
    return this.chain.length === 0 && settled ? 'genesis' : undefined;
  }

  /** The head candidate as a link, or refused with its reason. */
  private elected(reads: SyncReads, source: string, found: { signed: SignedManifest; bytes: Uint8Array }, signer: string | undefined, run: RunConfig): FollowedLink | undefined {
    const m = found.signed.manifest;
    let problem: string | undefined;
    if (found.signed.signer !== signer) problem = `signed by ${found.signed.signer}, but window ${m.window}'s checkpoint must be signed by ${signer ?? 'nobody'} (the aggregator elected at its election block)`;
    else if (m.parentHash === null) problem = `window ${m.window} claims to be a genesis (no parent) after genesis`;
    else if (!sameRun(m.run, run)) problem = 'run configuration differs from the chain it extends';
    if (problem) {
      reads.refuse(source, m.window, new CrucibleError('CHECKPOINT_INVALID', problem));
      return undefined;
    }
    return { manifest: m, signer: found.signed.signer, source, bytes: found.bytes, trust: 'elected' };
  }

  /** Parents of `head`, back to the held chain or as far as a node that holds nothing needs. */
  private async walkBack(reads: SyncReads, head: FollowedLink, run: RunConfig): Promise<{ links: FollowedLink[]; join: number }> {
    const links = [head];
    const index = new Map(this.chain.map((l, i) => [`${l.manifest.window}/${l.manifest.paramsHash}`, i]));
    const wanted = this.chain.length === 0 ? this.linksWanted : Math.max(this.linksWanted, this.options.maxWalk ?? 64);
    const oldestHeld = this.chain[0]?.manifest.window ?? Infinity;
    for (;;) {
      const m = links[0]!.manifest;
      if (m.parentHash === null || m.parentWindow === null) return { links, join: -1 };
      const at = index.get(`${m.parentWindow}/${m.parentHash}`);
      if (at !== undefined) return { links, join: at };
      if (links.length >= wanted || (links.length >= this.linksWanted && m.parentWindow < oldestHeld)) return { links, join: -1 };
      const g = this.genesisLink;
      const parent = g && g.manifest.window === m.parentWindow && g.manifest.paramsHash === m.parentHash ? g : await reads.parent(links[0]!, run);
      if (!parent) return { links, join: -1 };
      links.unshift(parent);
    }
  }

  private trim(): void {
    if (this.chain.length > MAX_MANIFESTS) this.chain = this.chain.slice(-MAX_MANIFESTS);
    const keep = new Set(this.chain.slice(-this.keep).map((l) => l.manifest.paramsHash));
    for (const hash of [...this.params.keys()]) if (!keep.has(hash)) this.params.delete(hash);
  }
}

export type { CheckpointSource, FollowedLink, Rejection };
