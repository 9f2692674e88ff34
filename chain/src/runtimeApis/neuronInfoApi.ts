/**
 * NeuronInfoRuntimeApi at spec 424 (`rpc_info/neuron_info.rs`). `stake` is the single pair (owner
 * coldkey, TotalHotkeyAlpha) — not inherited stake; rank and trust are 0 and pruning_score 65535, as the
 * chain serves these deprecated fields.
 */
import type { Codec } from '@polkadot/types/types';
import type { StorageAccess } from '../runtime/storageAccess.js';
import { big } from '../pallets/subtensor/read.js';
import * as S from '../pallets/subtensor/subtensorStorage.js';
import type { ApiModule } from './apiTypes.js';
import { axonOf, prometheusOf, readSubnet, type SubnetView } from './subnetView.js';

const num = (c: Codec | undefined) => Number(c?.toString());

function pairs(s: StorageAccess, item: typeof S.Weights, netuid: number, uid: number): Array<[number, number]> {
  return (s.get(item, [netuid, uid]) as unknown as Codec[])
    .map((pair) => (pair as unknown as [Codec, Codec]).map((c) => Number(c.toString())) as [number, number])
    .filter(([, w]) => w > 0);
}

function neuron(s: StorageAccess, view: SubnetView, uid: number, full: boolean): Record<string, unknown> {
  const { netuid } = view;
  const hotkey = view.hotkeys[uid] as Uint8Array;
  const lite: Record<string, unknown> = {
    hotkey,
    coldkey: view.coldkeys[uid],
    uid,
    netuid,
    active: view.active[uid],
    axonInfo: axonOf(s, netuid, hotkey),
    prometheusInfo: prometheusOf(s, netuid, hotkey),
    stake: [[view.coldkeys[uid], big(s, S.TotalHotkeyAlpha, [hotkey, netuid])]],
    rank: 0,
    emission: view.emission[uid],
    incentive: view.incentive[uid],
    consensus: view.consensus[uid],
    trust: 0,
    validatorTrust: view.validatorTrust[uid],
    dividends: view.dividends[uid],
    lastUpdate: view.lastUpdate[uid],
    validatorPermit: view.validatorPermit[uid],
    pruningScore: 65535,
  };
  if (full) {
    lite['weights'] = pairs(s, S.Weights, netuid, uid);
    lite['bonds'] = pairs(s, S.Bonds, netuid, uid);
  }
  return lite;
}

const all = (s: StorageAccess, netuid: number, full: boolean) => {
  const view = readSubnet(s, netuid);
  return view === undefined ? [] : Array.from({ length: view.n }, (_, uid) => neuron(s, view, uid, full));
};

const one = (s: StorageAccess, netuid: number, uid: number, full: boolean) => {
  const view = readSubnet(s, netuid);
  return view === undefined || uid >= view.n ? null : neuron(s, view, uid, full);
};

export const neuronInfoApi: ApiModule = {
  name: 'NeuronInfoRuntimeApi',
  methods: {
    get_neurons: ({ storage }, [netuid]) => all(storage, num(netuid), true),
    get_neuron: ({ storage }, [netuid, uid]) => one(storage, num(netuid), num(uid), true),
    get_neurons_lite: ({ storage }, [netuid]) => all(storage, num(netuid), false),
    get_neuron_lite: ({ storage }, [netuid, uid]) => one(storage, num(netuid), num(uid), false),
  },
};
