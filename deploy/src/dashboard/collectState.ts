import { windowOf, type Logger } from '@crucible/core';
import { getMetagraph, subnetOwnerHotkey, type ChainClient } from '@crucible/chain';
import { electAggregator } from '@crucible/protocol';
import { pointerFromCommitment } from '@crucible/storage';
import { createCheckpointReader, type CheckpointReaderOptions, type DashboardCheckpoint } from './checkpointReader.js';
import { readSupervision, type SupervisedProcess } from './supervision.js';
import { createValidatorReportReader, type ValidatorReports } from './validatorReports.js';

export type { DashboardCheckpoint } from './checkpointReader.js';

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
  /** The local subnet's processes as its supervisor keeps them (restarts, last reason); empty elsewhere. */
  processes: SupervisedProcess[];
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

const RAO = 1e9;

export interface StateCollectorOptions {
  client: ChainClient;
  netuid: number;
  blocksPerWindow: number;
  /** hotkey → local name. */
  names?: ReadonlyMap<string, string>;
  /** Folders of the validators' state (crucible-local's `state/validator-*`). */
  validatorStateDirs?: readonly string[];
  /** The local subnet's folder, whose supervisor file lists processes and their restarts. */
  localDir?: string;
  /** How neurons' buckets are read: endpoint policy, per-refresh deadline, per-neuron budget. */
  peerReads?: Omit<CheckpointReaderOptions, 'netuid' | 'names'>;
  logger?: Logger;
}

/**
 * Builds dashboard snapshots: the metagraph from the chain, checkpoint manifests from the neurons'
 * buckets (bounded reads, see createCheckpointReader), the validators' persisted reports and, on a local
 * subnet, the supervisor's view of its processes.
 */
export function createStateCollector(options: StateCollectorOptions) {
  const checkpoints = createCheckpointReader({ netuid: options.netuid, ...(options.names ? { names: options.names } : {}), ...options.peerReads });
  const readReports = createValidatorReportReader(options.validatorStateDirs ?? []);

  return async function collect(): Promise<DashboardState> {
    const errors: string[] = [];
    const [metagraph, ownerHotkey] = await Promise.all([getMetagraph(options.client, options.netuid), subnetOwnerHotkey(options.client, options.netuid)]);
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
    // The protocol's election: the owner's hotkey never aggregates.
    const top = electAggregator({ ...metagraph, ownerHotkey });
    const [cps, validators] = await Promise.all([checkpoints.read(metagraph, errors), readReports(errors)]);
    const processes = options.localDir === undefined ? [] : readSupervision(options.localDir, errors);
    return {
      updatedAt: new Date().toISOString(),
      netuid: options.netuid,
      block: metagraph.block,
      window: windowOf(metagraph.block, options.blocksPerWindow),
      blocksPerWindow: options.blocksPerWindow,
      aggregator: top ? { uid: top.uid, hotkey: top.hotkey } : null,
      neurons,
      checkpoints: cps,
      validators,
      processes,
      errors,
    };
  };
}
