/**
 * pallet_utility (index 11): `batch` (stops at the first failure, BatchInterrupted), `batch_all`
 * (all or nothing: the first failure fails the whole call) and `force_batch` (runs every call).
 */
import type { Codec } from '@polkadot/types/types';
import { definePallet, type CallArgs, type DispatchContext, type Weight } from '../../runtime/pallet.js';
import { DISPATCH_ERROR } from '../system/systemPallet.js';
import { RawScale } from '../../runtime/runtime.js';

export const BATCHED_CALLS_LIMIT = 10922;

function callsOf(ctx: DispatchContext, args: CallArgs): Codec[] {
  const calls = args['calls'] as unknown as Codec[];
  if (calls.length > BATCHED_CALLS_LIMIT) throw ctx.error('TooManyCalls');
  return calls;
}

function batchWeight(args: CallArgs, weightOf: (c: Codec) => Weight): Weight {
  let refTime = 5_000_000n;
  let proofSize = 0n;
  for (const c of args['calls'] as unknown as Codec[]) {
    const w = weightOf(c);
    refTime += w.refTime + 4_000_000n;
    proofSize += w.proofSize;
  }
  return { refTime, proofSize };
}

export const utilityPallet = definePallet({
  index: 11,
  name: 'Utility',
  calls: [
    {
      index: 0,
      name: 'batch',
      args: [{ name: 'calls', type: 'Vec<Call>' }],
      weight: batchWeight,
      dispatch(ctx, args) {
        const calls = callsOf(ctx, args);
        for (const [i, call] of calls.entries()) {
          const r = ctx.dispatch(call, ctx.origin);
          if (!r.ok) {
            ctx.emit('BatchInterrupted', [i, new RawScale(r.error.toU8a())]);
            return;
          }
          ctx.emit('ItemCompleted', []);
        }
        ctx.emit('BatchCompleted', []);
      },
    },
    {
      index: 2,
      name: 'batch_all',
      args: [{ name: 'calls', type: 'Vec<Call>' }],
      weight: batchWeight,
      dispatch(ctx, args) {
        const calls = callsOf(ctx, args);
        for (const call of calls) {
          const r = ctx.dispatch(call, ctx.origin);
          if (!r.ok) throw r.error;
          ctx.emit('ItemCompleted', []);
        }
        ctx.emit('BatchCompleted', []);
      },
    },
    {
      index: 4,
      name: 'force_batch',
      args: [{ name: 'calls', type: 'Vec<Call>' }],
      weight: batchWeight,
      dispatch(ctx, args) {
        let failed = false;
        for (const call of callsOf(ctx, args)) {
          const r = ctx.dispatch(call, ctx.origin);
          if (r.ok) ctx.emit('ItemCompleted', []);
          else {
            failed = true;
            ctx.emit('ItemFailed', [new RawScale(r.error.toU8a())]);
          }
        }
        ctx.emit(failed ? 'BatchCompletedWithErrors' : 'BatchCompleted', []);
      },
    },
  ],
  events: [
    { index: 0, name: 'BatchInterrupted', fields: ['u32', DISPATCH_ERROR] },
    { index: 1, name: 'BatchCompleted', fields: [] },
    { index: 2, name: 'BatchCompletedWithErrors', fields: [] },
    { index: 3, name: 'ItemCompleted', fields: [] },
    { index: 4, name: 'ItemFailed', fields: [DISPATCH_ERROR] },
  ],
  errors: [{ index: 0, name: 'TooManyCalls' }],
  constants: [{ name: 'batched_calls_limit', type: 'u32', value: BATCHED_CALLS_LIMIT }],
});

