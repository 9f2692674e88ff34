import type { ChainClient } from './connect.js';
import { getMetagraph, type Metagraph } from './metagraph.js';

export interface StakedValidator {
  uid: number;
  hotkey: string;
  /** Consensus stake weight in rao (alpha + TaoWeight · root). */
  stake: bigint;
}

/**
 * The validator-permitted uid with the highest stake weight; ties go to the lowest uid. Null when no uid
 * holds a permit. Every neuron computing this on the same block gets the same answer.
 */
export function pickTopStakedValidator(metagraph: Pick<Metagraph, 'hotkeys' | 'stake' | 'validatorPermit'>): StakedValidator | null {
  let best: StakedValidator | null = null;
  metagraph.validatorPermit.forEach((permit, uid) => {
    const stake = metagraph.stake[uid] ?? 0n;
    const hotkey = metagraph.hotkeys[uid];
    if (!permit || hotkey === undefined) return;
    if (best === null || stake > best.stake) best = { uid, hotkey, stake };
  });
  return best;
}

/** `pickTopStakedValidator` on the metagraph at `atBlock` (default: best block). */
export async function topStakedValidator(client: ChainClient, netuid: number, atBlock?: number): Promise<StakedValidator | null> {
  const metagraph = await getMetagraph(client, netuid, atBlock === undefined ? {} : { atBlock });
  return pickTopStakedValidator(metagraph);
}
