import type { Metagraph } from '@crucible/chain';
import { fetchManifest, listCheckpointWindows } from '@crucible/protocol';
import { PeerStores, ReadBudget, classifyReadFailure, pointerFromCommitment, publicEndpointsOnly, type EndpointPolicy } from '@crucible/storage';
import { errorText } from './errorText.js';

export interface DashboardCheckpoint {
  window: number;
  parentWindow: number | null;
  validationLoss: number | null;
  signer: string;
  signerName: string | null;
  contributors: number;
  paramsHash: string;
  createdAt: string;
}

export interface CheckpointReaderOptions {
  netuid: number;
  names?: ReadonlyMap<string, string>;
  /** Which endpoints neurons may have committed (default: https on public addresses only). */
  endpointPolicy?: EndpointPolicy;
  /** Every read of every neuron's bucket in one refresh ends by then (ms; default 4000). */
  refreshDeadlineMs?: number;
  /** One neuron's share of a refresh: time (ms) and bytes (default 3000 ms, 4 MiB). */
  perNeuron?: { timeMs: number; bytes: number };
  /** Bytes all neurons together may cost one refresh (default 32 MiB). */
  refreshBytes?: number;
}

const MiB = 1024 * 1024;

/**
 * The dashboard's reads of neurons' buckets (checkpoint manifests). Each bucket is someone else's
 * endpoint: every read goes through a policy-checked peer store charged to a per-neuron budget that
 * draws on the refresh's, so one hostile bucket costs at most its share of one refresh, and a bucket
 * that failed is left alone for a while (5 s, doubling up to a minute) instead of costing every refresh.
 * Manifests are immutable once published, so each (bucket, window) is fetched and verified once.
 */
export function createCheckpointReader(options: CheckpointReaderOptions) {
  const stores = new PeerStores({ policy: options.endpointPolicy ?? publicEndpointsOnly });
  const fetched = new Set<string>();
  const backoff = new Map<string, { until: number; failures: number; error: string }>();
  // Every checkpoint ever seen stays listed: aggregators delete old ones from their buckets (retention),
  // and the plot is of the whole run.
  const byWindow = new Map<string, DashboardCheckpoint>();
  const deadline = options.refreshDeadlineMs ?? 4000;
  const share = options.perNeuron ?? { timeMs: 3000, bytes: 4 * MiB };

  async function readNeuron(hotkey: string, uid: number, storeKey: string, budget: ReadBudget, pointer: NonNullable<ReturnType<typeof pointerFromCommitment>>): Promise<void> {
    const store = stores.get(pointer, budget);
    if (!store) return;
    for (const window of await listCheckpointWindows(store)) {
      const key = `${storeKey}#${window}`;
      if (fetched.has(key)) continue;
      const signed = await fetchManifest(store, window);
      if (!signed) continue;
      fetched.add(key);
      const m = signed.manifest;
      if (m.netuid !== options.netuid) continue;
      // Only checkpoints signed by the bucket's own hotkey count. Two signers for one window (a fork)
      // are both listed, so the page and the suites see it.
      if (signed.signer !== hotkey) continue;
      byWindow.set(`${m.window}:${signed.signer}`, {
        window: m.window,
        parentWindow: m.parentWindow,
        validationLoss: m.validationLoss,
        signer: signed.signer,
        signerName: options.names?.get(signed.signer) ?? null,
        contributors: m.contributors.length,
        paramsHash: m.paramsHash,
        createdAt: m.createdAt,
      });
    }
  }

  return {
    async read(metagraph: Metagraph, errors: string[]): Promise<DashboardCheckpoint[]> {
      const refresh = new ReadBudget({ timeMs: deadline, bytes: options.refreshBytes ?? 32 * MiB, label: 'dashboard refresh' });
      const now = Date.now();
      await Promise.all(
        metagraph.hotkeys.map(async (hotkey, uid) => {
          const pointer = pointerFromCommitment(metagraph.commitments[uid]);
          if (!pointer) return;
          const storeKey = JSON.stringify(pointer);
          const wait = backoff.get(storeKey);
          if (wait && wait.until > now) {
            errors.push(`checkpoints of uid ${uid}: ${wait.error} (next try in ${Math.ceil((wait.until - now) / 1000)} s)`);
            return;
          }
          const budget = new ReadBudget({ timeMs: Math.min(share.timeMs, deadline), bytes: share.bytes, label: `uid ${uid}`, parent: refresh });
          try {
            await readNeuron(hotkey, uid, storeKey, budget, pointer);
            backoff.delete(storeKey);
          } catch (error) {
            const failures = (wait?.failures ?? 0) + 1;
            const pauseMs = Math.min(60_000, 5000 * 2 ** (failures - 1));
            const text = `${classifyReadFailure(error).reason}: ${errorText(error)}`;
            backoff.set(storeKey, { until: Date.now() + pauseMs, failures, error: text });
            errors.push(`checkpoints of uid ${uid}: ${text} (next try in ${Math.round(pauseMs / 1000)} s)`);
          }
        }),
      );
      return [...byWindow.values()].sort((a, b) => a.window - b.window || a.signer.localeCompare(b.signer));
    },
    close(): void {
      stores.close();
    },
  };
}
