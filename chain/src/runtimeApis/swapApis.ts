/** SwapRuntimeApi (prices and simulated swaps, what staking UIs call) and SubnetRegistrationRuntimeApi. */
import type { Codec } from '@polkadot/types/types';
import { networkLockCost } from '../pallets/subtensor/network.js';
import { priceRao, simAlphaForTao, simTaoForAlpha } from '../pallets/subtensor/swap.js';
import type { ApiModule } from './apiTypes.js';
import { allNetuids } from './subnetView.js';

const n = (c: Codec | undefined) => Number(c?.toString());
const b = (c: Codec | undefined) => BigInt(c?.toString() ?? '0');

export const swapApi: ApiModule = {
  name: 'SwapRuntimeApi',
  methods: {
    current_alpha_price: ({ storage }, [netuid]) => priceRao(storage, n(netuid)),
    current_alpha_price_all: ({ storage }) => allNetuids(storage).map((netuid) => ({ netuid, price: priceRao(storage, netuid) })),
    sim_swap_tao_for_alpha: ({ storage }, [netuid, tao]) => {
      const r = simTaoForAlpha(storage, n(netuid), b(tao));
      return { taoAmount: r.paidIn + r.fee, alphaAmount: r.paidOut, taoFee: r.fee, alphaFee: 0, taoSlippage: 0, alphaSlippage: 0 };
    },
    sim_swap_alpha_for_tao: ({ storage }, [netuid, alpha]) => {
      const r = simAlphaForTao(storage, n(netuid), b(alpha));
      return { taoAmount: r.paidOut, alphaAmount: r.paidIn + r.fee, taoFee: 0, alphaFee: r.fee, taoSlippage: 0, alphaSlippage: 0 };
    },
  },
};

export const subnetRegistrationApi: ApiModule = {
  name: 'SubnetRegistrationRuntimeApi',
  methods: {
    get_network_registration_cost: ({ storage, blockNumber }) => networkLockCost(storage, blockNumber),
  },
};
