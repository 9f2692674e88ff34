import { windowOf, type Logger } from '@crucible/core';
import { errorText } from './errorText.js';
import { getMetagraph, type ChainClient, type Metagraph } from '@crucible/chain';
import { electAggregator, fetchManifest, listCheckpointWindows } from '@crucible/protocol';
import { PeerStores, pointerFromCommitment } from '@crucible/storage';
import { createValidatorReportReader, type ValidatorReports } from './validatorReports.js';

/** What `/api/state` serves: one snapshot of the subnet, everything a person needs to see it learn. */
export interface DashboardState {
  updatedAt: string;
  netuid: number;
  block: number;
  window: number;
  blocksPerWindow: number;
  /** The validator whose checkpoints are current (top-staked permitted), if any has a permit yet. */
  aggregator: { uid: number; hotkey: string } | null;
  neurons: DashboardNeuron[];
  checkpoints: DashboardCheckpoint[];
  /** Per-validator scores, ratings and rejections, as the validators publish or persist them. */
  validators: ValidatorReports;
  /** Problems reading any part (the rest is still served). */
  errors: string[];
}

export interface DashboardNeuron {
  uid: number;
  hotkey: string;
  coldkey: string;
  /** Local name from the wallet folder (`validator-0`, `miner-2`, `owner`), when known. */
  name: string | null;
  /** Stake weight in TAO (alpha) as a decimal number. */
  stake: number;
  validatorPermit: boolean;
  incentive: number;
  dividends: number;
  /** Alpha earned in the last epoch, in TAO units. */
  emission: number;
  lastUpdate: number;
  hasCommitment: boolean;
}

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

const RAO = 1e9;

export interface StateCollectorOptions {
  client: ChainClient;
  netuid: number;
  blocksPerWindow: number;
  /** hotkey → local name. */
  names?: ReadonlyMap<string, string>;
  /** Folders of the validators' state (crucible-local's `state/validator-*`). */
  validatorStateDirs?: readonly string[];
  logger?: Logger;
}

/**
 * Builds dashboard snapshots. Manifests are immutable once published, so each (bucket, window) is fetched
 * and verified once and cached; a refresh reads the metagraph and only the new manifests.
 */
export function createStateCollector(options: StateCollectorOptions) {
  const fetched = new Set<string>();
  const stores = new PeerStores();
  const readReports = createValidatorReportReader(options.validatorStateDirs ?? []);

  // Every checkpoint ever seen stays listed: aggregators delete old ones from their buckets (retention),
  // and the plot is of the whole run.
  const byWindow = new Map<string, DashboardCheckpoint>();

  async function checkpointsFrom(metagraph: Metagraph, errors: string[]): Promise<DashboardCheckpoint[]> {
    await Promise.all(
      metagraph.hotkeys.map(async (hotkey, uid) => {
        const pointer = pointerFromCommitment(metagraph.commitments[uid]);
        const store = pointer ? stores.get(pointer) : undefined;
        if (!pointer || !store) return;
        const storeKey = JSON.stringify(pointer);
        try {
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
        } catch (error) {
          errors.push(`checkpoints of uid ${uid}: ${errorText(error)}`);
        }
      }),
    );
    return [...byWindow.values()].sort((a, b) => a.window - b.window || a.signer.localeCompare(b.signer));
  }

  return async function collect(): Promise<DashboardState> {
    const errors: string[] = [];
    const metagraph = await getMetagraph(options.client, options.netuid);
    const neurons: DashboardNeuron[] = metagraph.uids.map((uid) => ({
      uid,
      hotkey: metagraph.hotkeys[uid] ?? '',
      coldkey: metagraph.coldkeys[uid] ?? '',
      name: options.names?.get(metagraph.hotkeys[uid] ?? '') ?? null,
      stake: Number(metagraph.stake[uid] ?? 0n) / RAO,
      validatorPermit: metagraph.validatorPermit[uid] ?? false,
      incentive: metagraph.incentive[uid] ?? 0,
      dividends: metagraph.dividends[uid] ?? 0,
      emission: Number(metagraph.emission[uid] ?? 0n) / RAO,
      lastUpdate: metagraph.lastUpdate[uid] ?? 0,
      hasCommitment: pointerFromCommitment(metagraph.commitments[uid]) !== undefined,
    }));
    const top = electAggregator(metagraph);
    const checkpoints = await checkpointsFrom(metagraph, errors);
    const validators = await readReports(errors);
    return {
      updatedAt: new Date().toISOString(),
      netuid: options.netuid,
      block: metagraph.block,
      window: windowOf(metagraph.block, options.blocksPerWindow),
      blocksPerWindow: options.blocksPerWindow,
      aggregator: top ? { uid: top.uid, hotkey: top.hotkey } : null,
      neurons,
      checkpoints,
      validators,
      errors,
    };
  };
}
