import { storageMap, storageValue } from '../../runtime/pallet.js';

const P = 'Balances';

export const TotalIssuance = storageValue(P, 'TotalIssuance', 'u64');
export const InactiveIssuance = storageValue(P, 'InactiveIssuance', 'u64');
/** Unused (subtensor keeps balances in System.Account), declared because apps and the reference have it. */
export const Account = storageMap(P, 'Account', {
  hashers: ['Blake2_128Concat'],
  keys: ['AccountId32'],
  value: '{"free":"u64","reserved":"u64","frozen":"u64","flags":"u128"}',
});
export const Locks = storageMap(P, 'Locks', { hashers: ['Blake2_128Concat'], keys: ['AccountId32'], value: 'Vec<PalletBalancesBalanceLock>' });
export const Reserves = storageMap(P, 'Reserves', { hashers: ['Blake2_128Concat'], keys: ['AccountId32'], value: 'Vec<PalletBalancesReserveData>' });
export const Holds = storageMap(P, 'Holds', {
  hashers: ['Blake2_128Concat'],
  keys: ['AccountId32'],
  value: 'Vec<FrameSupportTokensMiscIdAmountRuntimeHoldReason>',
});
export const Freezes = storageMap(P, 'Freezes', {
  hashers: ['Blake2_128Concat'],
  keys: ['AccountId32'],
  value: 'Vec<FrameSupportTokensMiscIdAmountRuntimeFreezeReason>',
});

export const balancesStorage = [TotalIssuance, InactiveIssuance, Account, Locks, Reserves, Holds, Freezes];
