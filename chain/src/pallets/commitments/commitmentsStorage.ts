/**
 * Storage items of Commitments (index 18), declared with the reference runtime's exact names, hashers,
 * key and value types (generated from chain/test-fixtures/reference-interface.json). Every item is declared so
 * the devnet metadata lists the same storage as subtensor's; defaults are the reference fallbacks.
 */
import { storageMap, storageValue, type StorageItem } from '../../runtime/pallet.js';

const P = 'Commitments';

export const RateLimit = storageValue(P, 'RateLimit', "u32");
export const CommitmentOf = storageMap(P, 'CommitmentOf', { hashers: ["Identity", "Twox64Concat"], keys: ["u16", "AccountId32"], value: "{\"deposit\":\"u64\",\"block\":\"u32\",\"info\":\"PalletCommitmentsCommitmentInfo\"}", modifier: 'Optional' });
export const LastCommitment = storageMap(P, 'LastCommitment', { hashers: ["Identity", "Twox64Concat"], keys: ["u16", "AccountId32"], value: "u32", modifier: 'Optional' });

export const commitmentsStorage: readonly StorageItem[] = [
  RateLimit, CommitmentOf, LastCommitment,
];
