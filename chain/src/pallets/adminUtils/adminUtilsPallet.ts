/**
 * AdminUtils (index 19) at spec 424: hyperparameter setters. Owner setters are signed by the subnet
 * owner's coldkey directly (or dispatched as root through Sudo.sudo); root-only setters refuse any
 * signed origin with BadOrigin. In the order the runtime checks: origin and the owner's rate limit
 * (SubtensorModule.TxRateLimitExceeded), the freeze window (SubtensorModule.
 * AdminActionProhibitedDuringWeightsWindow), subnet existence (AdminUtils.SubnetDoesNotExist), bounds;
 * then the value is written, the owner's change recorded and SubtensorModule's `*Set` event emitted.
 */
import type { Codec } from '@polkadot/types/types';
import { definePallet, weight, type CallDecl } from '../../runtime/pallet.js';
import { subnetExists } from '../subtensor/neurons.js';
import { ensureAdminWindowOpen, ensureOwnerOrRootWithLimits, hyperparameterLimit, recordOwnerRateLimit, weightsVersionKeyLimit } from '../subtensor/origins.js';
import { adminUtilsErrors, adminUtilsEvents } from './adminUtilsEvents.js';
import { setters, type Setter } from './adminUtilsSetters.js';

/** AdminUtils' benchmarked setters all weigh about this much (≈ 15,000,000 ref time, a read and a write). */
const SETTER_WEIGHT = weight(15_000_000n + 25_000_000n + 100_000_000n);

function setterCall(s: Setter): CallDecl {
  const perSubnet = s.args[0]?.name === 'netuid';
  return {
    index: s.index,
    name: s.name,
    args: s.args,
    weight: SETTER_WEIGHT,
    dispatch(ctx, args) {
      const values = s.args.map((a) => args[a.name] as Codec);
      const value = values[values.length - 1] as Codec;
      const netuid = perSubnet ? Number((values[0] as Codec).toString()) : 0;
      let owner: Uint8Array | undefined;
      const limits =
        s.limit === undefined ? [] : [s.limit === 'WeightsVersionKey' ? weightsVersionKeyLimit(ctx, netuid) : hyperparameterLimit(ctx, netuid, s.limit)];
      if (s.origin === 'root') ctx.ensureRoot();
      else owner = ensureOwnerOrRootWithLimits(ctx, netuid, limits);
      if (s.window === true) ensureAdminWindowOpen(ctx, netuid);
      if (s.exists === true && !subnetExists(ctx.storage, netuid)) throw ctx.error('SubnetDoesNotExist');
      s.check?.(ctx, netuid, value, owner !== undefined);
      s.apply(ctx, netuid, values);
      recordOwnerRateLimit(ctx, owner, limits);
    },
  };
}

export const adminUtilsPallet = definePallet({
  index: 19,
  name: 'AdminUtils',
  calls: setters.map(setterCall),
  events: adminUtilsEvents,
  errors: adminUtilsErrors,
});
