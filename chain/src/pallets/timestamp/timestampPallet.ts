/**
 * pallet_timestamp (index 2): the smallest complete pallet, and the model for new ones.
 *
 * `set` is the mandatory inherent the block builder puts first in every block (an unsigned extrinsic,
 * origin None); `onFinalize` checks it ran, like the real pallet.
 */
import { bigIntOf, boolOf } from '../../runtime/codecs.js';
import { DispatchError } from '../../runtime/dispatchError.js';
import { definePallet, storageValue, weight } from '../../runtime/pallet.js';

export const Now = storageValue('Timestamp', 'Now', 'u64');
export const DidUpdate = storageValue('Timestamp', 'DidUpdate', 'bool');

/** Half the 12 s block time, as in subtensor. */
export const MINIMUM_PERIOD_MS = 6000n;

export const timestampPallet = definePallet({
  index: 2,
  name: 'Timestamp',
  storage: [Now, DidUpdate],
  calls: [
    {
      index: 0,
      name: 'set',
      args: [{ name: 'now', type: 'Compact<u64>' }],
      weight: weight(9_000_000),
      class: 'Mandatory',
      dispatch(ctx, args) {
        if (ctx.origin.kind !== 'None') throw DispatchError.badOrigin();
        if (boolOf(ctx.storage.get(DidUpdate))) throw new Error('Timestamp must be updated only once in the block');
        ctx.storage.set(Now, [], bigIntOf(args['now']));
        ctx.storage.set(DidUpdate, [], true);
      },
    },
  ],
  constants: [{ name: 'MinimumPeriod', type: 'u64', value: MINIMUM_PERIOD_MS }],
  onFinalize(ctx) {
    if (!ctx.storage.has(DidUpdate)) throw new Error('Timestamp must be updated once in the block');
    ctx.storage.remove(DidUpdate);
  },
});
