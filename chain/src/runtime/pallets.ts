/**
 * The pallets of the devnet runtime, in index order. To add a pallet, import its `definePallet(...)`
 * object and add it here; the metadata, dispatch table and genesis pick it up.
 */
import { balancesPallet } from '../pallets/balances/balancesPallet.js';
import { sudoPallet } from '../pallets/sudo/sudoPallet.js';
import { systemPallet } from '../pallets/system/systemPallet.js';
import { timestampPallet } from '../pallets/timestamp/timestampPallet.js';
import { transactionPaymentPallet } from '../pallets/transactionPayment/transactionPaymentPallet.js';
import { utilityPallet } from '../pallets/utility/utilityPallet.js';
import type { PalletDecl } from './pallet.js';

export const runtimePallets: readonly PalletDecl[] = [systemPallet, timestampPallet, balancesPallet, transactionPaymentPallet, utilityPallet, sudoPallet];
