/**
 * SubnetInfoRuntimeApi (v2) at spec 424: subnet state (with inherited stake), metagraphs, dynamic info,
 * hyperparameters (v2) and the next epoch's block (`rpc_info/show_subnet.rs`, `dynamic_info.rs`,
 * `subnet_info.rs`, `metagraph.rs`).
 */
import type { Codec } from '@polkadot/types/types';
import type { StorageAccess } from '../runtime/storageAccess.js';
import { activityCutoffBlocks } from '../pallets/subtensor/epoch.js';
import { nextEpochStartBlock } from '../pallets/subtensor/epochSchedule.js';
import { big, flag, num } from '../pallets/subtensor/read.js';
import * as S from '../pallets/subtensor/subtensorStorage.js';
import type { ApiContext, ApiModule } from './apiTypes.js';
import { getAllMetagraphs, getMetagraph, getSelectiveMetagraph, metagraphOf } from './metagraphApi.js';
import { allNetuids, neuronColumns, readSubnet } from './subnetView.js';

const n = (c: Codec | undefined) => Number(c?.toString());

/** `get_subnet_state`: per uid α, τ and S = α + w·τ (floored to rao); pruning score, trust and rank empty. */
function subnetState(ctx: ApiContext, netuid: number): Record<string, unknown> | null {
  const view = readSubnet(ctx.storage, netuid);
  if (view === undefined) return null;
  return {
    netuid,
    hotkeys: view.hotkeys,
    coldkeys: view.coldkeys,
    ...neuronColumns(view),
    emissionHistory: [],
  };
}

function dynamicInfo(ctx: ApiContext, netuid: number): Record<string, unknown> | null {
  const view = readSubnet(ctx.storage, netuid);
  if (view === undefined) return null;
  const m = metagraphOf(ctx.storage, netuid, ctx.blockNumber, view);
  return {
    netuid,
    ownerHotkey: m['ownerHotkey'],
    ownerColdkey: m['ownerColdkey'],
    subnetName: m['name'],
    tokenSymbol: m['symbol'],
    tempo: m['tempo'],
    lastStep: m['lastStep'],
    blocksSinceLastStep: m['blocksSinceLastStep'],
    emission: 0,
    alphaIn: m['alphaIn'],
    alphaOut: m['alphaOut'],
    taoIn: m['taoIn'],
    alphaOutEmission: m['alphaOutEmission'],
    alphaInEmission: m['alphaInEmission'],
    taoInEmission: m['taoInEmission'],
    pendingAlphaEmission: m['pendingAlphaEmission'],
    pendingRootEmission: 0,
    subnetVolume: m['subnetVolume'],
    networkRegisteredAt: m['networkRegisteredAt'],
    subnetIdentity: m['identity'],
    movingPrice: m['movingPrice'],
  };
}

function hyperparamsV2(s: StorageAccess, netuid: number): Record<string, unknown> | null {
  if (readSubnet(s, netuid) === undefined) return null;
  const g = (item: Parameters<typeof big>[1]) => big(s, item, [netuid]);
  const u = (item: Parameters<typeof num>[1]) => num(s, item, [netuid]);
  const alpha = s.get(S.AlphaValues, [netuid]) as unknown as [Codec, Codec];
  return {
    rho: u(S.Rho),
    kappa: u(S.Kappa),
    immunityPeriod: u(S.ImmunityPeriod),
    minAllowedWeights: u(S.MinAllowedWeights),
    maxWeightsLimit: u(S.MaxWeightsLimit),
    tempo: u(S.Tempo),
    minDifficulty: g(S.MinDifficulty),
    maxDifficulty: g(S.MaxDifficulty),
    weightsVersion: g(S.WeightsVersionKey),
    weightsRateLimit: g(S.WeightsSetRateLimit),
    adjustmentInterval: u(S.AdjustmentInterval),
    activityCutoff: activityCutoffBlocks(s, netuid),
    registrationAllowed: flag(s, S.NetworkRegistrationAllowed, [netuid]),
    targetRegsPerInterval: u(S.TargetRegistrationsPerInterval),
    minBurn: g(S.MinBurn),
    maxBurn: g(S.MaxBurn),
    bondsMovingAvg: g(S.BondsMovingAverage),
    maxRegsPerBlock: u(S.MaxRegistrationsPerBlock),
    servingRateLimit: g(S.ServingRateLimit),
    maxValidators: u(S.MaxAllowedValidators),
    adjustmentAlpha: g(S.AdjustmentAlpha),
    difficulty: g(S.Difficulty),
    commitRevealPeriod: big(s, S.RevealPeriodEpochs, [netuid]),
    commitRevealWeightsEnabled: flag(s, S.CommitRevealWeightsEnabled, [netuid]),
    alphaHigh: Number(alpha[1].toString()),
    alphaLow: Number(alpha[0].toString()),
    liquidAlphaEnabled: flag(s, S.LiquidAlphaOn, [netuid]),
    // AlphaSigmoidSteepness (i16) as I32F32 bits.
    alphaSigmoidSteepness: { bits: BigInt(num(s, S.AlphaSigmoidSteepness, [netuid])) << 32n },
    yumaVersion: flag(s, S.Yuma3On, [netuid]) ? 3 : 2,
    subnetIsActive: flag(s, S.SubtokenEnabled, [netuid]),
    transfersEnabled: flag(s, S.TransferToggle, [netuid]),
    bondsResetEnabled: flag(s, S.BondsResetOn, [netuid]),
    userLiquidityEnabled: false,
  };
}

export const subnetInfoApi: ApiModule = {
  name: 'SubnetInfoRuntimeApi',
  methods: {
    get_subnet_hyperparams_v2: ({ storage }, [netuid]) => hyperparamsV2(storage, n(netuid)),
    get_all_dynamic_info: (ctx) => allNetuids(ctx.storage).map((netuid) => dynamicInfo(ctx, netuid)),
    get_all_metagraphs: (ctx) => getAllMetagraphs(ctx),
    get_metagraph: (ctx, [netuid]) => getMetagraph(ctx, n(netuid)),
    get_dynamic_info: (ctx, [netuid]) => dynamicInfo(ctx, n(netuid)),
    get_subnet_state: (ctx, [netuid]) => subnetState(ctx, n(netuid)),
    get_selective_metagraph: (ctx, [netuid, indexes]) => getSelectiveMetagraph(ctx, n(netuid), (indexes as unknown as Codec[]).map(n)),
    get_next_epoch_start_block: ({ storage }, [netuid]) => nextEpochStartBlock(storage, n(netuid)) ?? null,
  },
};

