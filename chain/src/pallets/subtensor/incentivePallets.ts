/**
 * The incentive-layer pallets, for the runtime's pallet list: SubtensorModule (7), Commitments (18),
 * AdminUtils (19) and Swap (28).
 */
import type { PalletDecl } from '../../runtime/pallet.js';
import { adminUtilsPallet } from '../adminUtils/adminUtilsPallet.js';
import { commitmentsPallet } from '../commitments/commitmentsPallet.js';
import { swapPallet } from '../swap/swapPallet.js';
import { subtensorPallet } from './subtensorPallet.js';

export const incentivePallets: readonly PalletDecl[] = [subtensorPallet, commitmentsPallet, adminUtilsPallet, swapPallet];

/** `pallets` plus whichever incentive pallets it lacks (so tests work before and after the runtime lists them). */
export function withIncentivePallets(pallets: readonly PalletDecl[]): PalletDecl[] {
  return [...pallets, ...incentivePallets.filter((p) => !pallets.some((q) => q.name === p.name))];
}
