/**
 * `SubtensorTransactionExtension` at spec 424 (`extensions/subtensor.rs`, `guards/*`): checks that
 * refuse a SubtensorModule call in the pool, before inclusion, with `1010 Invalid Transaction: Custom
 * error: N`. Only top-level calls are checked (not calls inside Utility or Sudo), and only these: the
 * weights guards (min stake, reveal window, commit found), the rate limits (commit_weights; set_weights
 * while commit-reveal is off; register_network) and the serving endpoint checks. Staking and
 * registration are checked at dispatch only, as on the chain.
 */
import type { Codec } from '@polkadot/types/types';
import type { AccountId, CallArgs, ValidationContext } from '../../runtime/pallet.js';
import { customInvalidTx } from '../../runtime/validity.js';
import { commitHash, isRevealEpoch, readCommits } from './commitReveal.js';
import { networkRateLimitPasses } from './network.js';
import { uidOf } from './neurons.js';
import { flag } from './read.js';
import { serveAxonError } from './serveAxon.js';
import { hasWeightsMinStake, passesWeightsRateLimit } from './setWeights.js';
import { CommitRevealWeightsEnabled } from './subtensorStorage.js';

/** `CustomTransactionError` codes (`common/src/transaction_error.rs`) by the pallet error they map. */
const CODES: Record<string, number> = {
  AmountTooLow: 1,
  NotEnoughStakeToSetWeights: 1,
  NotEnoughBalanceToStake: 2,
  SubnetNotExists: 3,
  HotKeyAccountNotExists: 4,
  NotEnoughStakeToWithdraw: 5,
  CommittingWeightsTooFast: 6,
  SettingWeightsTooFast: 6,
  NetworkTxRateLimitExceeded: 6,
  InsufficientLiquidity: 7,
  SlippageTooHigh: 8,
  TransferDisallowed: 9,
  HotKeyNotRegisteredInNetwork: 10,
  InvalidIpAddress: 11,
  ServingRateLimitExceeded: 12,
  InvalidPort: 13,
  InvalidRevealRound: 15,
  NoWeightsCommitFound: 16,
  RevealTooEarly: 17,
  InputLengthsUnequal: 18,
  HotKeyNotRegisteredInSubNet: 19,
  NonAssociatedColdKey: 25,
};

const BAD_REQUEST = 255;

function refuse(error: string): never {
  throw customInvalidTx(CODES[error] ?? BAD_REQUEST);
}

const num = (c: Codec | undefined) => Number(c?.toString());
const nums = (c: Codec | undefined) => (c as unknown as Codec[]).map((x) => Number(x.toString()));

function checkWeights(ctx: ValidationContext, who: AccountId, name: string, args: CallArgs): void {
  const netuid = num(args['netuid']);
  if (!hasWeightsMinStake(ctx.storage, who, netuid)) refuse('NotEnoughStakeToSetWeights');
  if (name !== 'reveal_weights') return;
  const commits = readCommits(ctx.storage, netuid, who);
  if (commits.length === 0) refuse('NoWeightsCommitFound');
  const hash = commitHash(who, netuid, nums(args['uids']), nums(args['values']), nums(args['salt']), BigInt(args['version_key']?.toString() ?? '0'));
  const commit = commits.find((c) => Buffer.compare(Buffer.from(c.hash), Buffer.from(hash)) === 0);
  if (commit === undefined) refuse('NoWeightsCommitFound');
  if (!isRevealEpoch(ctx.storage, netuid, ctx.blockNumber, commit.epoch)) refuse('RevealTooEarly');
}

function checkRateLimits(ctx: ValidationContext, who: AccountId, name: string, args: CallArgs): void {
  if (name === 'register_network') {
    if (!networkRateLimitPasses(ctx.storage, ctx.blockNumber)) refuse('NetworkTxRateLimitExceeded');
    return;
  }
  const netuid = num(args['netuid']);
  if (name === 'set_weights' && flag(ctx.storage, CommitRevealWeightsEnabled, [netuid])) return;
  const uid = uidOf(ctx.storage, netuid, who);
  if (uid === undefined) return;
  if (!passesWeightsRateLimit(ctx.storage, netuid, uid, ctx.blockNumber)) refuse(name === 'commit_weights' ? 'CommittingWeightsTooFast' : 'SettingWeightsTooFast');
}

export function validateSubtensorCall(ctx: ValidationContext, who: AccountId, call: { pallet: string; name: string; args: CallArgs }): void {
  if (call.pallet !== 'SubtensorModule') return;
  const { name, args } = call;
  if (name === 'set_weights' || name === 'commit_weights' || name === 'reveal_weights') checkWeights(ctx, who, name, args);
  if (name === 'set_weights' || name === 'commit_weights' || name === 'register_network') checkRateLimits(ctx, who, name, args);
  if (name === 'serve_axon') {
    const error = serveAxonError(ctx.storage, who, {
      netuid: num(args['netuid']),
      version: num(args['version']),
      ip: BigInt(args['ip']?.toString() ?? '0'),
      port: num(args['port']),
      ipType: num(args['ip_type']),
      protocol: num(args['protocol']),
      placeholder1: num(args['placeholder1']),
      placeholder2: num(args['placeholder2']),
    }, ctx.blockNumber);
    if (error !== undefined) refuse(error);
  }
}
