/**
 * The pallets of the devnet runtime. To add a pallet, import its `definePallet(...)` object and add it
 * here; the metadata, dispatch table and genesis pick it up (hooks run in index order).
 */
import { balancesPallet } from '../pallets/balances/balancesPallet.js';
import { incentivePallets } from '../pallets/subtensor/incentivePallets.js';
import { sudoPallet } from '../pallets/sudo/sudoPallet.js';
import { systemPallet } from '../pallets/system/systemPallet.js';
import { timestampPallet } from '../pallets/timestamp/timestampPallet.js';
import { transactionPaymentPallet } from '../pallets/transactionPayment/transactionPaymentPallet.js';
import { utilityPallet } from '../pallets/utility/utilityPallet.js';
import type { PalletDecl } from './pallet.js';

/** System, Timestamp, Balances, TransactionPayment, Utility, Sudo, and the incentive layer (SubtensorModule, Commitments, AdminUtils). */
export const runtimePallets: readonly PalletDecl[] = [
  systemPallet,
  timestampPallet,
  balancesPallet,
  transactionPaymentPallet,
  utilityPallet,
  sudoPallet,
  ...incentivePallets,
].sort((a, b) => a.index - b.index);
