/**
 * SubtensorModule (index 7): subnets, registration, stake, weights, axons, and every block the emission
 * and Yuma epochs. Real call signatures, storage, events and errors of subtensor spec 233; the devnet
 * simplifications are listed in README.md beside this file.
 */
import type { Codec } from '@polkadot/types/types';
import { bigIntOf, numberOf } from '../../runtime/codecs.js';
import { definePallet, weight, type CallArgs, type GenesisConfig, type DispatchContext } from '../../runtime/pallet.js';
import { accountOf } from './accounts.js';
import { blockStep } from './blockStep.js';
import { registerNetwork } from './network.js';
import { burnedRegister } from './registration.js';
import { serveAxon } from './serveAxon.js';
import { setWeights } from './setWeights.js';
import { addStake, removeStake } from './stakeCalls.js';
import { subtensorErrors, subtensorEvents } from './subtensorEvents.js';
import { NetworkLastLockCost, NetworkLockReductionInterval, NetworkMinLockCost, NetworkRateLimit, SubnetLimit, subtensorStorage } from './subtensorStorage.js';

const numbers = (c: Codec | undefined): number[] => (c as unknown as Codec[]).map((x) => Number(x.toString()));
const account = (args: CallArgs, name: string) => accountOf(args[name] as Codec);

/** Devnet genesis settings (GenesisConfig.pallets.SubtensorModule); defaults in README. */
export interface SubtensorGenesis {
  networkRateLimit?: number;
  networkMinLockCost?: bigint | number;
  networkLockReductionInterval?: number;
  subnetLimit?: number;
}

function genesis(ctx: DispatchContext, config: GenesisConfig): void {
  const g = (config.pallets?.['SubtensorModule'] ?? {}) as SubtensorGenesis;
  const minLock = BigInt(g.networkMinLockCost ?? 100_000_000_000n);
  ctx.storage.set(NetworkRateLimit, [], BigInt(g.networkRateLimit ?? 0));
  ctx.storage.set(NetworkMinLockCost, [], minLock);
  ctx.storage.set(NetworkLastLockCost, [], minLock);
  ctx.storage.set(NetworkLockReductionInterval, [], BigInt(g.networkLockReductionInterval ?? 1));
  ctx.storage.set(SubnetLimit, [], g.subnetLimit ?? 32);
}

const W = weight(50_000_000);

export const subtensorPallet = definePallet({
  index: 7,
  name: 'SubtensorModule',
  storage: subtensorStorage,
  events: subtensorEvents,
  errors: subtensorErrors,
  genesis,
  onInitialize: blockStep,
  calls: [
    {
      index: 0,
      name: 'set_weights',
      args: [
        { name: 'netuid', type: 'u16' },
        { name: 'dests', type: 'Vec<u16>' },
        { name: 'weights', type: 'Vec<u16>' },
        { name: 'version_key', type: 'u64' },
      ],
      weight: W,
      paysFee: false,
      dispatch: (ctx, a) => setWeights(ctx, numberOf(a['netuid']), numbers(a['dests']), numbers(a['weights']), bigIntOf(a['version_key'])),
    },
    {
      index: 2,
      name: 'add_stake',
      args: [
        { name: 'hotkey', type: 'AccountId32' },
        { name: 'netuid', type: 'u16' },
        { name: 'amount_staked', type: 'u64' },
      ],
      weight: W,
      paysFee: false,
      dispatch: (ctx, a) => addStake(ctx, account(a, 'hotkey'), numberOf(a['netuid']), bigIntOf(a['amount_staked'])),
    },
    {
      index: 3,
      name: 'remove_stake',
      args: [
        { name: 'hotkey', type: 'AccountId32' },
        { name: 'netuid', type: 'u16' },
        { name: 'amount_unstaked', type: 'u64' },
      ],
      weight: W,
      paysFee: false,
      dispatch: (ctx, a) => removeStake(ctx, account(a, 'hotkey'), numberOf(a['netuid']), bigIntOf(a['amount_unstaked'])),
    },
    {
      index: 4,
      name: 'serve_axon',
      args: [
        { name: 'netuid', type: 'u16' },
        { name: 'version', type: 'u32' },
        { name: 'ip', type: 'u128' },
        { name: 'port', type: 'u16' },
        { name: 'ip_type', type: 'u8' },
        { name: 'protocol', type: 'u8' },
        { name: 'placeholder1', type: 'u8' },
        { name: 'placeholder2', type: 'u8' },
      ],
      weight: W,
      paysFee: false,
      dispatch: (ctx, a) =>
        serveAxon(ctx, {
          netuid: numberOf(a['netuid']),
          version: numberOf(a['version']),
          ip: bigIntOf(a['ip']),
          port: numberOf(a['port']),
          ipType: numberOf(a['ip_type']),
          protocol: numberOf(a['protocol']),
          placeholder1: numberOf(a['placeholder1']),
          placeholder2: numberOf(a['placeholder2']),
        }),
    },
    {
      index: 7,
      name: 'burned_register',
      args: [
        { name: 'netuid', type: 'u16' },
        { name: 'hotkey', type: 'AccountId32' },
      ],
      weight: W,
      paysFee: false,
      dispatch: (ctx, a) => burnedRegister(ctx, numberOf(a['netuid']), account(a, 'hotkey')),
    },
    {
      index: 59,
      name: 'register_network',
      args: [{ name: 'hotkey', type: 'AccountId32' }],
      weight: W,
      paysFee: false,
      dispatch: (ctx, a) => registerNetwork(ctx, account(a, 'hotkey')),
    },
  ],
});
