/**
 * Commitments (index 18) at spec 424 (`pallets/commitments/src/lib.rs`): `set_commitment(netuid, info)`
 * by a hotkey registered on the subnet, at most `MaxFields` (3) fields, within a per-epoch space budget
 * per (netuid, hotkey): each call counts max(100, Σ field lengths) bytes against `MaxSpace` (3100),
 * reset when the subnet's `SubnetEpochIndex` moves on. Fields are `Data` (Raw0..Raw128, hashes,
 * TimelockEncrypted, ResetBondsFlag, BigRaw ≤ 512 bytes). `set_max_space` is root's.
 */
import type { Codec } from '@polkadot/types/types';
import { definePallet, weight } from '../../runtime/pallet.js';
import { uidOf } from '../subtensor/neurons.js';
import { big } from '../subtensor/read.js';
import { SubnetEpochIndex } from '../subtensor/subtensorStorage.js';
import { CommitmentOf, commitmentsStorage, LastBondsReset, LastCommitment, MaxSpace, TimelockedIndex, UsedSpaceOf } from './commitmentsStorage.js';
import { commitmentsErrors, commitmentsEvents } from './commitmentsEvents.js';

export const MAX_FIELDS = 3;
/** Every call counts at least this many bytes against the budget. */
const MIN_USED_SPACE = 100n;

interface DataField {
  type: string;
  value: Codec & { encrypted?: Codec };
}

/** `Data::len_for_rate_limit`. */
export function fieldLength(field: DataField): bigint {
  if (field.type === 'None' || field.type === 'ResetBondsFlag') return 0n;
  if (field.type === 'TimelockEncrypted') return BigInt((field.value.encrypted as Codec).toU8a(true).length);
  return BigInt(field.value.toU8a(true).length);
}

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
  ],
  calls: [
    {
      index: 0,
      name: 'set_commitment',
      args: [
        { name: 'netuid', type: 'u16' },
        { name: 'info', type: '{"fields":"Vec<PalletCommitmentsData>"}' },
      ],
      // The runtime's benchmarked weight: 33,480,000 ref time, 5 reads, 4 writes.
      weight: weight(33_480_000n + 5n * 25_000_000n + 4n * 100_000_000n),
      paysFee: false,
      dispatch(ctx, args) {
        const who = ctx.ensureSigned();
        const s = ctx.storage;
        const netuid = Number((args['netuid'] as Codec).toString());
        const info = args['info'] as Codec;
        const fields = (info as unknown as { fields: DataField[] }).fields;
        if (uidOf(s, netuid, who) === undefined) throw ctx.error('AccountNotAllowedCommit');
        if (fields.length > MAX_FIELDS) throw ctx.error('TooManyFieldsInCommitmentInfo');
        const required = fields.reduce((a, f) => a + fieldLength(f), 0n);
        const cost = required > MIN_USED_SPACE ? required : MIN_USED_SPACE;
        const epoch = big(s, SubnetEpochIndex, [netuid]);
        const usage = s.tryGet(UsedSpaceOf, [netuid, who]) as unknown as { lastEpoch: Codec; usedSpace: Codec } | undefined;
        const used = usage === undefined || BigInt(usage.lastEpoch.toString()) !== epoch ? 0n : BigInt(usage.usedSpace.toString());
        if (fields.some((f) => f.type === 'ResetBondsFlag')) s.set(LastBondsReset, [netuid, who], ctx.blockNumber);
        if (used + cost > big(s, MaxSpace)) throw ctx.error('SpaceLimitExceeded');
        s.set(UsedSpaceOf, [netuid, who], { lastEpoch: epoch, usedSpace: used + cost });
        s.set(CommitmentOf, [netuid, who], { deposit: 0n, block: ctx.blockNumber, info });
        s.set(LastCommitment, [netuid, who], ctx.blockNumber);
        const timelocked = fields.find((f) => f.type === 'TimelockEncrypted');
        const index = [...(s.get(TimelockedIndex) as unknown as Set<Codec>)].map((e) => e.toU8a());
        const mine = (e: Uint8Array) => Buffer.compare(Buffer.from(e), Buffer.from([netuid & 0xff, netuid >> 8, ...who])) === 0;
        const others = index.filter((e) => !mine(e));
        if (timelocked !== undefined) {
          const round = (timelocked.value as unknown as { revealRound: Codec }).revealRound;
          ctx.emit('TimelockCommitment', [netuid, who, BigInt(round.toString())]);
          s.set(TimelockedIndex, [], [...others, [netuid, who]]);
        } else {
          ctx.emit('Commitment', [netuid, who]);
          if (others.length !== index.length) s.set(TimelockedIndex, [], others);
        }
      },
    },
    {
      index: 2,
      name: 'set_max_space',
      args: [{ name: 'new_limit', type: 'u32' }],
      weight: weight(2_856_000n + 100_000_000n),
      dispatch(ctx, args) {
        ctx.ensureRoot();
        ctx.storage.set(MaxSpace, [], args['new_limit'] as Codec);
      },
    },
  ],
});
