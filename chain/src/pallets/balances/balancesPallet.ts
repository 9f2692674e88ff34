/**
 * pallet_balances (index 5) with subtensor's configuration: u64 balances kept in System.Account,
 * existential deposit 500 rao. Implemented calls: transfer_allow_death, force_transfer,
 * transfer_keep_alive, transfer_all, force_set_balance. Other pallets use ./currency.ts.
 */
import type { Codec } from '@polkadot/types/types';
import { DispatchError } from '../../runtime/dispatchError.js';
import { definePallet, weight, type AccountId, type CallArgs } from '../../runtime/pallet.js';
import { EXISTENTIAL_DEPOSIT } from '../../runtime/runtimeVersion.js';
import { balancesStorage, TotalIssuance } from './balancesStorage.js';
import { endow, reducibleBalance, setFreeBalance, transfer } from './currency.js';
import { resolveGenesisAccount } from './genesisAccounts.js';

/** MultiAddress → AccountId; only the `Id` variant exists on subtensor (no indices pallet). */
export function lookupAddress(address: Codec): AccountId {
  const bytes = address.toU8a();
  // MultiAddress::Id is variant 0 followed by the 32-byte account.
  if (bytes.length !== 33 || bytes[0] !== 0) throw DispatchError.simple('CannotLookup');
  return bytes.slice(1);
}

const u64 = (args: CallArgs, name: string): bigint => (args[name] as unknown as { toBigInt(): bigint }).toBigInt();

export const balancesPallet = definePallet({
  index: 5,
  name: 'Balances',
  storage: balancesStorage,
  calls: [
    {
      index: 0,
      name: 'transfer_allow_death',
      args: [
        { name: 'dest', type: 'MultiAddress' },
        { name: 'value', type: 'Compact<u64>' },
      ],
      weight: weight(59_000_000, 3_593),
      dispatch(ctx, args) {
        const from = ctx.ensureSigned();
        transfer(ctx, from, lookupAddress(args['dest'] as Codec), u64(args, 'value'), 'Expendable');
      },
    },
    {
      index: 2,
      name: 'force_transfer',
      args: [
        { name: 'source', type: 'MultiAddress' },
        { name: 'dest', type: 'MultiAddress' },
        { name: 'value', type: 'Compact<u64>' },
      ],
      weight: weight(60_000_000, 6_196),
      dispatch(ctx, args) {
        ctx.ensureRoot();
        transfer(ctx, lookupAddress(args['source'] as Codec), lookupAddress(args['dest'] as Codec), u64(args, 'value'), 'Expendable');
      },
    },
    {
      index: 3,
      name: 'transfer_keep_alive',
      args: [
        { name: 'dest', type: 'MultiAddress' },
        { name: 'value', type: 'Compact<u64>' },
      ],
      weight: weight(46_000_000, 3_593),
      dispatch(ctx, args) {
        const from = ctx.ensureSigned();
        transfer(ctx, from, lookupAddress(args['dest'] as Codec), u64(args, 'value'), 'Preserve');
      },
    },
    {
      index: 4,
      name: 'transfer_all',
      args: [
        { name: 'dest', type: 'MultiAddress' },
        { name: 'keep_alive', type: 'bool' },
      ],
      weight: weight(49_000_000, 3_593),
      dispatch(ctx, args) {
        const from = ctx.ensureSigned();
        const keepAlive = (args['keep_alive'] as unknown as { isTrue: boolean }).isTrue;
        const amount = reducibleBalance(ctx.storage, from, keepAlive ? 'Preserve' : 'Expendable');
        transfer(ctx, from, lookupAddress(args['dest'] as Codec), amount, keepAlive ? 'Preserve' : 'Expendable');
      },
    },
    {
      index: 8,
      name: 'force_set_balance',
      args: [
        { name: 'who', type: 'MultiAddress' },
        { name: 'new_free', type: 'Compact<u64>' },
      ],
      weight: weight(20_000_000, 3_593),
      dispatch(ctx, args) {
        ctx.ensureRoot();
        setFreeBalance(ctx, lookupAddress(args['who'] as Codec), u64(args, 'new_free'));
      },
    },
  ],
  events: [
    { index: 0, name: 'Endowed', fields: ['AccountId32', 'u64'] },
    { index: 1, name: 'DustLost', fields: ['AccountId32', 'u64'] },
    { index: 2, name: 'Transfer', fields: ['AccountId32', 'AccountId32', 'u64'] },
    { index: 3, name: 'BalanceSet', fields: ['AccountId32', 'u64'] },
    { index: 7, name: 'Deposit', fields: ['AccountId32', 'u64'] },
    { index: 8, name: 'Withdraw', fields: ['AccountId32', 'u64'] },
    { index: 10, name: 'Minted', fields: ['AccountId32', 'u64'] },
    { index: 11, name: 'Burned', fields: ['AccountId32', 'u64'] },
  ],
  errors: [
    { index: 0, name: 'VestingBalance' },
    { index: 1, name: 'LiquidityRestrictions' },
    { index: 2, name: 'InsufficientBalance' },
    { index: 3, name: 'ExistentialDeposit' },
    { index: 4, name: 'Expendability' },
    { index: 5, name: 'ExistingVestingSchedule' },
    { index: 6, name: 'DeadAccount' },
    { index: 7, name: 'TooManyReserves' },
    { index: 8, name: 'TooManyHolds' },
    { index: 9, name: 'TooManyFreezes' },
    { index: 10, name: 'IssuanceDeactivated' },
    { index: 11, name: 'DeltaZero' },
  ],
  constants: [
    { name: 'ExistentialDeposit', type: 'u64', value: EXISTENTIAL_DEPOSIT },
    { name: 'MaxLocks', type: 'u32', value: 50 },
    { name: 'MaxReserves', type: 'u32', value: 50 },
    { name: 'MaxFreezes', type: 'u32', value: 50 },
  ],
  genesis(ctx, config) {
    ctx.storage.set(TotalIssuance, [], 0n);
    for (const [who, amount] of config.balances) endow(ctx.storage, resolveGenesisAccount(who), amount);
  },
});
