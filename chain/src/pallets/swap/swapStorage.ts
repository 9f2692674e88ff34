/** Storage of the Swap pallet (index 28) the devnet serves: the per-subnet swap fee rate. */
import { storageMap } from '../../runtime/pallet.js';

/** `FeeRate[netuid]`: swap fee as a fraction of u16::MAX (default 33 ≈ 0.05%). */
export const FeeRate = storageMap('Swap', 'FeeRate', { hashers: ['Twox64Concat'], keys: ['u16'], value: 'u16' });
