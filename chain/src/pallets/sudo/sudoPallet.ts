/**
 * pallet_sudo (index 12): `sudo` and `sudo_unchecked_weight` dispatch a call as Root for the sudo key
 * (Alice on the devnet) and report its result in `Sudid`; `set_key` / `remove_key` manage the key.
 * Sudo calls do not pay fees when the key signs, like the real pallet.
 */
import type { Codec } from '@polkadot/types/types';
import { u8aConcat } from '@polkadot/util';
import { definePallet, storageValue, weight, type DispatchContext, type DispatchResult } from '../../runtime/pallet.js';
import { invalidTx } from '../../runtime/validity.js';
import { RawScale } from '../../runtime/runtime.js';
import { lookupAddress } from '../balances/balancesPallet.js';
import { resolveGenesisAccount } from '../balances/genesisAccounts.js';

export const Key = storageValue('Sudo', 'Key', 'AccountId32', { modifier: 'Optional' });

export const DISPATCH_RESULT = 'Result<Null, SpRuntimeDispatchError>';

/** SCALE `Result<(), DispatchError>`. */
export function encodeDispatchResult(r: DispatchResult): RawScale {
  return new RawScale(r.ok ? Uint8Array.of(0) : u8aConcat(Uint8Array.of(1), r.error.toU8a()));
}

function ensureSudo(ctx: DispatchContext): void {
  const who = ctx.ensureSigned();
  const key = ctx.storage.tryGet(Key);
  if (key === undefined || Buffer.compare(key.toU8a(), who) !== 0) throw ctx.error('RequireSudo');
}

function sudoDispatch(ctx: DispatchContext, call: Codec): void {
  ensureSudo(ctx);
  ctx.emit('Sudid', [encodeDispatchResult(ctx.dispatch(call, { kind: 'Root' }))]);
}

export const sudoPallet = definePallet({
  index: 12,
  name: 'Sudo',
  storage: [Key],
  calls: [
    {
      index: 0,
      name: 'sudo',
      args: [{ name: 'call', type: 'Call' }],
      paysFee: false,
      weight: (args, weightOf) => {
        const w = weightOf(args['call'] as Codec);
        return { refTime: w.refTime + 10_000_000n, proofSize: w.proofSize };
      },
      dispatch(ctx, args) {
        sudoDispatch(ctx, args['call'] as Codec);
      },
    },
    {
      index: 1,
      name: 'sudo_unchecked_weight',
      args: [
        { name: 'call', type: 'Call' },
        { name: 'weight', type: '{"refTime":"Compact<u64>","proofSize":"Compact<u64>"}' },
      ],
      paysFee: false,
      weight: weight(10_000_000),
      dispatch(ctx, args) {
        sudoDispatch(ctx, args['call'] as Codec);
      },
    },
    {
      index: 2,
      name: 'set_key',
      args: [{ name: 'new', type: 'MultiAddress' }],
      paysFee: false,
      weight: weight(10_000_000),
      dispatch(ctx, args) {
        ensureSudo(ctx);
        const old = ctx.storage.tryGet(Key);
        const next = lookupAddress(args['new'] as Codec);
        ctx.storage.set(Key, [], next);
        ctx.emit('KeyChanged', [old === undefined ? null : old.toU8a(), next]);
      },
    },
    {
      index: 4,
      name: 'remove_key',
      args: [],
      paysFee: false,
      weight: weight(10_000_000),
      dispatch(ctx) {
        ensureSudo(ctx);
        ctx.storage.remove(Key);
        ctx.emit('KeyRemoved', []);
      },
    },
  ],
  events: [
    { index: 0, name: 'Sudid', fields: [DISPATCH_RESULT] },
    { index: 1, name: 'KeyChanged', fields: ['Option<AccountId32>', 'AccountId32'] },
    { index: 2, name: 'KeyRemoved', fields: [] },
  ],
  errors: [{ index: 0, name: 'RequireSudo' }],
  // SudoTransactionExtension (spec 424): a Sudo call from anyone but the key is refused in the pool.
  validateSigned(ctx, who, call) {
    if (call.pallet !== 'Sudo') return;
    const key = ctx.storage.tryGet(Key);
    if (key === undefined || Buffer.compare(key.toU8a(), who) !== 0) throw invalidTx('BadSigner');
  },
  genesis(ctx, config) {
    ctx.storage.set(Key, [], resolveGenesisAccount(config.sudo));
  },
});
