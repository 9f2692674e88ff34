/**
 * StakeInfoRuntimeApi and DelegateInfoRuntimeApi at spec 424 (`rpc_info/stake_info.rs`,
 * `delegate_info.rs`): each coldkey's alpha per (hotkey, subnet) with the hotkey's last dividends, and
 * the delegates (hotkeys in `Delegates`) with their nominators.
 */
import type { Codec } from '@polkadot/types/types';
import type { StorageAccess } from '../runtime/storageAccess.js';
import { accountOf } from '../pallets/subtensor/accounts.js';
import { ownerOf, uidOf } from '../pallets/subtensor/neurons.js';
import { big, num } from '../pallets/subtensor/read.js';
import { coldkeyAlpha } from '../pallets/subtensor/staking.js';
import * as S from '../pallets/subtensor/subtensorStorage.js';
import { readBigints, readBools } from '../pallets/subtensor/vectors.js';
import type { ApiModule } from './apiTypes.js';
import { allNetuids } from './subnetView.js';

function stakeInfo(s: StorageAccess, hotkey: Uint8Array, coldkey: Uint8Array, netuid: number, stake: bigint): Record<string, unknown> {
  return {
    hotkey,
    coldkey,
    netuid,
    stake,
    locked: 0,
    emission: big(s, S.AlphaDividendsPerSubnet, [netuid, hotkey]),
    taoEmission: 0,
    drain: 0,
    isRegistered: uidOf(s, netuid, hotkey) !== undefined,
  };
}

function forColdkey(s: StorageAccess, coldkey: Uint8Array): Array<Record<string, unknown>> {
  const hotkeys = (s.get(S.StakingHotkeys, [coldkey]) as unknown as Codec[]).map(accountOf);
  const out: Array<Record<string, unknown>> = [];
  for (const netuid of allNetuids(s)) {
    for (const hotkey of hotkeys) {
      const alpha = coldkeyAlpha(s, hotkey, coldkey, netuid);
      if (alpha > 0n) out.push(stakeInfo(s, hotkey, coldkey, netuid, alpha));
    }
  }
  return out;
}

const account = (c: Codec | undefined) => (c as Codec).toU8a().slice(0, 32);

export const stakeInfoApi: ApiModule = {
  name: 'StakeInfoRuntimeApi',
  methods: {
    get_stake_info_for_coldkey: ({ storage }, [coldkey]) => forColdkey(storage, account(coldkey)),
    get_stake_info_for_coldkeys: ({ storage }, [coldkeys]) => (coldkeys as unknown as Codec[]).map((c) => [account(c), forColdkey(storage, account(c))]),
    get_stake_info_for_hotkey_coldkey_netuid: ({ storage }, [hotkey, coldkey, netuid]) => {
      const h = account(hotkey);
      const c = account(coldkey);
      const n = Number(netuid?.toString());
      return stakeInfo(storage, h, c, n, coldkeyAlpha(storage, h, c, n));
    },
  },
};

/** `get_delegate_by_existing_account`. */
function delegateInfo(s: StorageAccess, delegate: Uint8Array, withNominators: boolean): Record<string, unknown> {
  const netuids = allNetuids(s).filter((n) => uidOf(s, n, delegate) !== undefined);
  const nominators = new Map<string, { who: Uint8Array; stakes: Array<[number, bigint]> }>();
  if (withNominators) {
    for (const { keys } of s.entries(S.Alpha, [delegate])) {
      const who = accountOf(keys[1] as Codec);
      const netuid = Number((keys[2] as Codec).toString());
      const alpha = coldkeyAlpha(s, delegate, who, netuid);
      if (alpha === 0n) continue;
      const key = Buffer.from(who).toString('hex');
      const entry = nominators.get(key) ?? { who, stakes: [] };
      entry.stakes.push([netuid, alpha]);
      nominators.set(key, entry);
    }
  }
  let perDay = 0n;
  const permits: number[] = [];
  for (const netuid of netuids) {
    const uid = uidOf(s, netuid, delegate) as number;
    if (readBools(s, S.ValidatorPermit, netuid)[uid] === true) permits.push(netuid);
    const tempo = BigInt(num(s, S.Tempo, [netuid]));
    if (tempo > 0n) perDay += ((readBigints(s, S.Emission, netuid)[uid] ?? 0n) * 7200n) / tempo;
  }
  return {
    delegateSs58: delegate,
    take: num(s, S.Delegates, [delegate]),
    nominators: [...nominators.values()].map((n) => [n.who, n.stakes]),
    ownerSs58: ownerOf(s, delegate) ?? new Uint8Array(32),
    registrations: netuids,
    validatorPermits: permits,
    // Per 1000 TAO of root stake; the devnet has no root stake, so this is 0 as the chain computes it.
    returnPer1000: 0,
    totalDailyReturn: perDay,
  };
}

const delegates = (s: StorageAccess) => s.entries(S.Delegates).map(({ keys }) => accountOf(keys[0] as Codec));

export const delegateInfoApi: ApiModule = {
  name: 'DelegateInfoRuntimeApi',
  methods: {
    get_delegates: ({ storage }) => delegates(storage).map((d) => delegateInfo(storage, d, true)),
    get_delegate: ({ storage }, [who]) => (storage.tryGet(S.Delegates, [account(who)]) === undefined ? null : delegateInfo(storage, account(who), true)),
    get_delegated: ({ storage }, [who]) => {
      const nominator = account(who);
      return delegates(storage).flatMap((d) =>
        allNetuids(storage)
          .filter((n) => storage.tryGet(S.Alpha, [d, nominator, n]) !== undefined)
          .map((n) => [delegateInfo(storage, d, false), [n, coldkeyAlpha(storage, d, nominator, n)]]),
      );
    },
  },
};

