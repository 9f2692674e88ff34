/**
 * The pallets of the devnet runtime, in index order. To add a pallet, import its `definePallet(...)`
 * object and add it here; the metadata, dispatch table and genesis pick it up.
 */
import { systemPallet } from '../pallets/system/systemPallet.js';
import { timestampPallet } from '../pallets/timestamp/timestampPallet.js';
import type { PalletDecl } from './pallet.js';

export const runtimePallets: readonly PalletDecl[] = [systemPallet, timestampPallet];
