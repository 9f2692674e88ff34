/**
 * `SubnetInfoRuntimeApi` metagraph methods at spec 424 (`rpc_info/metagraph.rs`): `get_metagraph`,
 * `get_all_metagraphs` and `get_selective_metagraph`, whose indexes are positions in `METAGRAPH_FIELDS`
 * (every field but netuid is an Option there). Deprecated fields are served as the chain serves them
 * (0 or empty).
 */
import type { Codec } from '@polkadot/types/types';
import type { StorageAccess } from '../runtime/storageAccess.js';
import { accountOf } from '../pallets/subtensor/accounts.js';
import { activityCutoffBlocks } from '../pallets/subtensor/epoch.js';
import { big, flag, num } from '../pallets/subtensor/read.js';
import * as S from '../pallets/subtensor/subtensorStorage.js';
import { CommitmentOf } from '../pallets/commitments/commitmentsStorage.js';
import type { ApiContext } from './apiTypes.js';
import { allNetuids, axonOf, neuronColumns, readSubnet, subnetName, type SubnetView } from './subnetView.js';

/** Field names in SCALE order: Metagraph's 72, then SelectiveMetagraph's `validators` and `commitments`. */
export const METAGRAPH_FIELDS = [
  'netuid', 'name', 'symbol', 'identity', 'networkRegisteredAt', 'ownerHotkey', 'ownerColdkey', 'block', 'tempo', 'lastStep',
  'blocksSinceLastStep', 'subnetEmission', 'alphaIn', 'alphaOut', 'taoIn', 'alphaOutEmission', 'alphaInEmission', 'taoInEmission',
  'pendingAlphaEmission', 'pendingRootEmission', 'subnetVolume', 'movingPrice', 'rho', 'kappa', 'minAllowedWeights', 'maxWeightsLimit',
  'weightsVersion', 'weightsRateLimit', 'activityCutoff', 'maxValidators', 'numUids', 'maxUids', 'burn', 'difficulty',
  'registrationAllowed', 'powRegistrationAllowed', 'immunityPeriod', 'minDifficulty', 'maxDifficulty', 'minBurn', 'maxBurn',
  'adjustmentAlpha', 'adjustmentInterval', 'targetRegsPerInterval', 'maxRegsPerBlock', 'servingRateLimit',
  'commitRevealWeightsEnabled', 'commitRevealPeriod', 'liquidAlphaEnabled', 'alphaHigh', 'alphaLow', 'bondsMovingAvg', 'hotkeys',
  'coldkeys', 'identities', 'axons', 'active', 'validatorPermit', 'pruningScore', 'lastUpdate', 'emission', 'dividends',
  'incentives', 'consensus', 'trust', 'rank', 'blockAtRegistration', 'alphaStake', 'taoStake', 'totalStake',
  'taoDividendsPerHotkey', 'alphaDividendsPerHotkey', 'validators', 'commitments',
] as const;

const bytes = (b: Uint8Array) => [...b];

function alphaValues(s: StorageAccess, netuid: number): [number, number] {
  const v = s.get(S.AlphaValues, [netuid]) as unknown as [Codec, Codec];
  return [Number(v[0].toString()), Number(v[1].toString())];
}

/** `get_metagraph` as a JS object keyed by METAGRAPH_FIELDS (without validators and commitments). */
export function metagraphOf(s: StorageAccess, netuid: number, block: number, view: SubnetView): Record<string, unknown> {
  const g = (item: Parameters<typeof big>[1]) => big(s, item, [netuid]);
  const lastStep = g(S.LastMechansimStepBlock);
  const [alphaLow, alphaHigh] = alphaValues(s, netuid);
  return {
    netuid,
    name: bytes(subnetName(s, netuid)),
    symbol: bytes(s.get(S.TokenSymbol, [netuid]).toU8a(true)),
    identity: s.tryGet(S.SubnetIdentitiesV3, [netuid]) ?? null,
    networkRegisteredAt: g(S.NetworkRegisteredAt),
    ownerHotkey: accountOf(s.get(S.SubnetOwnerHotkey, [netuid])),
    ownerColdkey: accountOf(s.get(S.SubnetOwner, [netuid])),
    block,
    tempo: num(s, S.Tempo, [netuid]),
    lastStep,
    blocksSinceLastStep: BigInt(block) > lastStep ? BigInt(block) - lastStep : 0n,
    subnetEmission: 0,
    alphaIn: g(S.SubnetAlphaIn),
    alphaOut: g(S.SubnetAlphaOut),
    taoIn: g(S.SubnetTAO),
    alphaOutEmission: g(S.SubnetAlphaOutEmission),
    alphaInEmission: g(S.SubnetAlphaInEmission),
    taoInEmission: g(S.SubnetTaoInEmission),
    pendingAlphaEmission: g(S.PendingValidatorEmission) + g(S.PendingServerEmission),
    pendingRootEmission: 0,
    subnetVolume: BigInt(s.get(S.SubnetVolume, [netuid]).toString()),
    movingPrice: s.get(S.SubnetMovingPrice, [netuid]),
    rho: num(s, S.Rho, [netuid]),
    kappa: num(s, S.Kappa, [netuid]),
    minAllowedWeights: num(s, S.MinAllowedWeights, [netuid]),
    maxWeightsLimit: num(s, S.MaxWeightsLimit, [netuid]),
    weightsVersion: g(S.WeightsVersionKey),
    weightsRateLimit: g(S.WeightsSetRateLimit),
    activityCutoff: activityCutoffBlocks(s, netuid),
    maxValidators: num(s, S.MaxAllowedValidators, [netuid]),
    numUids: view.n,
    maxUids: num(s, S.MaxAllowedUids, [netuid]),
    burn: g(S.Burn),
    difficulty: g(S.Difficulty),
    registrationAllowed: flag(s, S.NetworkRegistrationAllowed, [netuid]),
    powRegistrationAllowed: flag(s, S.NetworkPowRegistrationAllowed, [netuid]),
    immunityPeriod: num(s, S.ImmunityPeriod, [netuid]),
    minDifficulty: g(S.MinDifficulty),
    maxDifficulty: g(S.MaxDifficulty),
    minBurn: g(S.MinBurn),
    maxBurn: g(S.MaxBurn),
    adjustmentAlpha: g(S.AdjustmentAlpha),
    adjustmentInterval: num(s, S.AdjustmentInterval, [netuid]),
    targetRegsPerInterval: num(s, S.TargetRegistrationsPerInterval, [netuid]),
    maxRegsPerBlock: num(s, S.MaxRegistrationsPerBlock, [netuid]),
    servingRateLimit: g(S.ServingRateLimit),
    commitRevealWeightsEnabled: flag(s, S.CommitRevealWeightsEnabled, [netuid]),
    commitRevealPeriod: big(s, S.RevealPeriodEpochs, [netuid]),
    liquidAlphaEnabled: flag(s, S.LiquidAlphaOn, [netuid]),
    alphaHigh,
    alphaLow,
    bondsMovingAvg: g(S.BondsMovingAverage),
    hotkeys: view.hotkeys,
    coldkeys: view.coldkeys,
    identities: view.coldkeys.map((c) => s.tryGet(S.IdentitiesV2, [c]) ?? null),
    axons: view.hotkeys.map((h) => axonOf(s, netuid, h)),
    ...neuronColumns(view),
    taoDividendsPerHotkey: view.hotkeys.map((h) => [h, 0]),
    alphaDividendsPerHotkey: view.hotkeys.map((h) => [h, big(s, S.AlphaDividendsPerSubnet, [netuid, h])]),
  };
}

/** `get_validators`: permitted uids above StakeThreshold, by consensus stake ascending. */
function validators(s: StorageAccess, view: SubnetView): number[] {
  const threshold = big(s, S.StakeThreshold);
  return view.stake
    .map((st, uid) => ({ uid, bits: st.total.bits }))
    .filter(({ uid }) => view.validatorPermit[uid] === true)
    .sort((a, b) => (a.bits < b.bits ? -1 : a.bits > b.bits ? 1 : 0))
    .filter(({ bits }) => bits > threshold << 32n)
    .map(({ uid }) => uid);
}

/** `get_commitments`: each hotkey's SCALE-encoded `CommitmentOf` registration. */
function commitments(s: StorageAccess, netuid: number): Array<[Uint8Array, number[]]> {
  return s.entries(CommitmentOf, [netuid]).map(({ keys, value }) => [accountOf(keys[1] as Codec), [...value.toU8a()]]);
}

export function getMetagraph(ctx: ApiContext, netuid: number): Record<string, unknown> | null {
  const view = readSubnet(ctx.storage, netuid);
  return view === undefined ? null : metagraphOf(ctx.storage, netuid, ctx.blockNumber, view);
}

export function getAllMetagraphs(ctx: ApiContext): Array<Record<string, unknown> | null> {
  return allNetuids(ctx.storage).map((netuid) => getMetagraph(ctx, netuid));
}

export function getSelectiveMetagraph(ctx: ApiContext, netuid: number, indexes: readonly number[]): Record<string, unknown> | null {
  const view = readSubnet(ctx.storage, netuid);
  if (view === undefined) return null;
  const full = metagraphOf(ctx.storage, netuid, ctx.blockNumber, view);
  const out: Record<string, unknown> = Object.fromEntries(METAGRAPH_FIELDS.map((f) => [f, null]));
  out['netuid'] = netuid;
  for (const index of indexes) {
    const field = METAGRAPH_FIELDS[index];
    if (field === undefined || field === 'netuid') continue;
    if (field === 'validators') out[field] = validators(ctx.storage, view);
    else if (field === 'commitments') out[field] = commitments(ctx.storage, netuid);
    else out[field] = full[field];
  }
  return out;
}
