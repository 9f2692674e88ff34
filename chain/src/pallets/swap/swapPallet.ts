/**
 * Swap (index 28): the subnet pools. The devnet serves its fee rate and constants; the pool itself is
 * SubtensorModule's `SubnetTAO` / `SubnetAlphaIn` (see ../subtensor/swap.ts). No calls: user liquidity
 * is permanently disabled at spec 424 and the fee rate keeps its default.
 */
import { definePallet } from '../../runtime/pallet.js';
import { FeeRate } from './swapStorage.js';

export const swapPallet = definePallet({
  index: 28,
  name: 'Swap',
  storage: [FeeRate],
  constants: [
    { name: 'ProtocolId', type: '[u8;8]', value: '0x74656e2f73776170' },
    { name: 'MaxFeeRate', type: 'u16', value: 10_000 },
    { name: 'MinimumLiquidity', type: 'u64', value: 1000n },
    { name: 'MinimumReserve', type: 'u64', value: 1_000_000n },
  ],
});
