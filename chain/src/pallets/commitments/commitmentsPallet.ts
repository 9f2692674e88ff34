/**
 * Commitments (index 18) at spec 233: `set_commitment(netuid, info)` stores `CommitmentOf(netuid, who) =
 * { deposit, block, info }` for hotkeys registered on the subnet, at most one per `RateLimit` blocks
 * (LastCommitment), MaxFields 1, deposits 0; `set_rate_limit` (Root) changes the limit.
 */
import type { Codec } from '@polkadot/types/types';
import { definePallet, weight } from '../../runtime/pallet.js';
import { uidOf } from '../subtensor/neurons.js';
import { CommitmentOf, commitmentsStorage, LastCommitment, RateLimit } from './commitmentsStorage.js';
import { commitmentsErrors, commitmentsEvents } from './commitmentsEvents.js';

export const MAX_FIELDS = 1;

export const commitmentsPallet = definePallet({
  index: 18,
  name: 'Commitments',
  storage: commitmentsStorage,
  events: commitmentsEvents,
  errors: commitmentsErrors,
  constants: [
    { name: 'MaxFields', type: 'u32', value: MAX_FIELDS },
    { name: 'InitialDeposit', type: 'u64', value: 0 },
    { name: 'FieldDeposit', type: 'u64', value: 0 },
    { name: 'DefaultRateLimit', type: 'u32', value: 100 },
  ],
  calls: [
    {
      index: 0,
      name: 'set_commitment',
      args: [
        { name: 'netuid', type: 'u16' },
        { name: 'info', type: '{"fields":"Vec<PalletCommitmentsData>"}' },
      ],
      weight: weight(20_000_000),
      paysFee: false,
      dispatch(ctx, args) {
        const who = ctx.ensureSigned();
        const netuid = Number((args['netuid'] as Codec).toString());
        const info = args['info'] as Codec;
        const fields = (info as unknown as { fields: Codec[] }).fields;
        if (uidOf(ctx.storage, netuid, who) === undefined) throw ctx.error('AccountNotAllowedCommit');
        if (fields.length > MAX_FIELDS) throw ctx.error('TooManyFieldsInCommitmentInfo');
        const last = ctx.storage.tryGet(LastCommitment, [netuid, who]);
        const rateLimit = Number(ctx.storage.get(RateLimit).toString());
        if (last !== undefined && ctx.blockNumber < Number(last.toString()) + rateLimit) throw ctx.error('CommitmentSetRateLimitExceeded');
        ctx.storage.set(CommitmentOf, [netuid, who], { deposit: 0n, block: ctx.blockNumber, info });
        ctx.storage.set(LastCommitment, [netuid, who], ctx.blockNumber);
        ctx.emit('Commitment', [netuid, who]);
      },
    },
    {
      index: 1,
      name: 'set_rate_limit',
      args: [{ name: 'rate_limit_blocks', type: 'u32' }],
      weight: weight(10_000_000),
      paysFee: false,
      dispatch(ctx, args) {
        ctx.ensureRoot();
        ctx.storage.set(RateLimit, [], args['rate_limit_blocks'] as Codec);
      },
    },
  ],
});
