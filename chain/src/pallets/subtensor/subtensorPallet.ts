/**
 * SubtensorModule (index 7) at spec 424: the calls the devnet serves, with subtensor's indices,
 * argument types, weights (the runtime's benchmarked values) and fee classes; storage, events, errors
 * and constants are the reference's (generated files). README.md beside this file lists the rules and
 * the simplifications.
 */
import type { Codec } from '@polkadot/types/types';
import { bigIntOf, boolOf, numberOf } from '../../runtime/codecs.js';
import { definePallet, weight, type CallArgs, type CallDecl, type Weight } from '../../runtime/pallet.js';
import { accountOf } from './accounts.js';
import { blockStep } from './blockStep.js';
import { setChildren } from './childkeys.js';
import { commitWeights, revealWeights } from './commitReveal.js';
import { subtensorGenesis } from './genesis.js';
import { registerNetwork, startCall } from './network.js';
import { register, registerLimit } from './registration.js';
import { serveAxon } from './serveAxon.js';
import { setWeightsCall } from './setWeights.js';
import { addStake, addStakeLimit, removeStake, removeStakeFullLimit, removeStakeLimit } from './stakeCalls.js';
import { subtensorConstants } from './subtensorConstants.js';
import { subtensorErrors, subtensorEvents } from './subtensorEvents.js';
import { PendingChildKeyCooldown, subtensorStorage } from './subtensorStorage.js';
import { setActivityCutoffFactor, setTempo, triggerEpoch } from './tempoControl.js';
import { validateSubtensorCall } from './validateSigned.js';

const numbers = (c: Codec | undefined): number[] => (c as unknown as Codec[]).map((x) => Number(x.toString()));
const account = (args: CallArgs, name: string) => accountOf(args[name] as Codec);
const netuid = (a: CallArgs) => numberOf(a['netuid']);

/** A benchmarked weight: ref time plus the runtime's DbWeight (read 25,000,000, write 100,000,000). */
function bench(refTime: number, proofSize: number, reads: number, writes: number): Weight {
  return weight(BigInt(refTime) + BigInt(reads) * 25_000_000n + BigInt(writes) * 100_000_000n, proofSize);
}

const U16 = { name: 'netuid', type: 'u16' } as const;
const HOTKEY = { name: 'hotkey', type: 'AccountId32' } as const;

const calls: CallDecl[] = [
  {
    index: 0,
    name: 'set_weights',
    args: [U16, { name: 'dests', type: 'Vec<u16>' }, { name: 'weights', type: 'Vec<u16>' }, { name: 'version_key', type: 'u64' }],
    weight: bench(15_513_610_000, 10_327_410, 4112, 2),
    paysFee: false,
    dispatch: (ctx, a) => setWeightsCall(ctx, netuid(a), numbers(a['dests']), numbers(a['weights']), bigIntOf(a['version_key'])),
  },
  {
    index: 96,
    name: 'commit_weights',
    args: [U16, { name: 'commit_hash', type: 'H256' }],
    weight: bench(69_049_000, 4714, 13, 2),
    paysFee: false,
    dispatch: (ctx, a) => commitWeights(ctx, netuid(a), (a['commit_hash'] as Codec).toU8a()),
  },
  {
    index: 97,
    name: 'reveal_weights',
    args: [U16, { name: 'uids', type: 'Vec<u16>' }, { name: 'values', type: 'Vec<u16>' }, { name: 'salt', type: 'Vec<u16>' }, { name: 'version_key', type: 'u64' }],
    weight: bench(111_227_000, 7590, 19, 2),
    paysFee: false,
    dispatch: (ctx, a) => revealWeights(ctx, netuid(a), { uids: numbers(a['uids']), values: numbers(a['values']), salt: numbers(a['salt']), versionKey: bigIntOf(a['version_key']) }),
  },
  {
    index: 2,
    name: 'add_stake',
    args: [HOTKEY, U16, { name: 'amount_staked', type: 'u64' }],
    weight: bench(664_064_000, 8727, 32, 16),
    dispatch: (ctx, a) => addStake(ctx, account(a, 'hotkey'), netuid(a), bigIntOf(a['amount_staked'])),
  },
  {
    index: 3,
    name: 'remove_stake',
    args: [HOTKEY, U16, { name: 'amount_unstaked', type: 'u64' }],
    weight: bench(569_198_000, 10_557, 28, 13),
    dispatch: (ctx, a) => removeStake(ctx, account(a, 'hotkey'), netuid(a), bigIntOf(a['amount_unstaked'])),
  },
  {
    index: 4,
    name: 'serve_axon',
    args: [
      U16,
      { name: 'version', type: 'u32' },
      { name: 'ip', type: 'u128' },
      { name: 'port', type: 'u16' },
      { name: 'ip_type', type: 'u8' },
      { name: 'protocol', type: 'u8' },
      { name: 'placeholder1', type: 'u8' },
      { name: 'placeholder2', type: 'u8' },
    ],
    weight: bench(31_278_000, 4178, 3, 1),
    paysFee: false,
    dispatch: (ctx, a) =>
      serveAxon(ctx, {
        netuid: netuid(a),
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
    index: 6,
    name: 'register',
    args: [
      U16,
      { name: 'block_number', type: 'u64' },
      { name: 'nonce', type: 'u64' },
      { name: 'work', type: 'Bytes' },
      HOTKEY,
      { name: 'coldkey', type: 'AccountId32' },
    ],
    weight: bench(349_872_000, 6148, 34, 29),
    // The proof-of-work arguments are ignored: it registers as burned_register does.
    dispatch: (ctx, a) => register(ctx, netuid(a), account(a, 'hotkey')),
  },
  {
    index: 7,
    name: 'burned_register',
    args: [U16, HOTKEY],
    weight: bench(336_815_000, 6148, 34, 29),
    dispatch: (ctx, a) => register(ctx, netuid(a), account(a, 'hotkey')),
  },
  {
    index: 59,
    name: 'register_network',
    args: [HOTKEY],
    weight: bench(277_125_000, 9947, 40, 48),
    dispatch: (ctx, a) => registerNetwork(ctx, account(a, 'hotkey')),
  },
  {
    index: 67,
    name: 'set_children',
    args: [HOTKEY, U16, { name: 'children', type: 'Vec<(u64,AccountId32)>' }],
    weight: bench(119_000_000, 0, 6, 31),
    dispatch: (ctx, a) =>
      setChildren(
        ctx,
        account(a, 'hotkey'),
        netuid(a),
        (a['children'] as unknown as Codec[]).map((pair) => {
          const [p, who] = pair as unknown as [Codec, Codec];
          return [BigInt(p.toString()), accountOf(who)];
        }),
      ),
  },
  {
    index: 88,
    name: 'add_stake_limit',
    args: [HOTKEY, U16, { name: 'amount_staked', type: 'u64' }, { name: 'limit_price', type: 'u64' }, { name: 'allow_partial', type: 'bool' }],
    weight: bench(853_005_000, 8727, 32, 16),
    dispatch: (ctx, a) => addStakeLimit(ctx, account(a, 'hotkey'), netuid(a), bigIntOf(a['amount_staked']), bigIntOf(a['limit_price']), boolOf(a['allow_partial'])),
  },
  {
    index: 89,
    name: 'remove_stake_limit',
    args: [HOTKEY, U16, { name: 'amount_unstaked', type: 'u64' }, { name: 'limit_price', type: 'u64' }, { name: 'allow_partial', type: 'bool' }],
    weight: bench(740_696_000, 10_591, 27, 13),
    dispatch: (ctx, a) => removeStakeLimit(ctx, account(a, 'hotkey'), netuid(a), bigIntOf(a['amount_unstaked']), bigIntOf(a['limit_price']), boolOf(a['allow_partial'])),
  },
  {
    index: 92,
    name: 'start_call',
    args: [U16],
    weight: bench(39_454_000, 4583, 5, 2),
    dispatch: (ctx, a) => startCall(ctx, netuid(a)),
  },
  {
    index: 103,
    name: 'remove_stake_full_limit',
    args: [HOTKEY, U16, { name: 'limit_price', type: 'Option<u64>' }],
    weight: bench(754_292_000, 10_591, 27, 13),
    dispatch: (ctx, a) => {
      const limit = a['limit_price'] as unknown as { isSome: boolean; unwrap(): Codec };
      removeStakeFullLimit(ctx, account(a, 'hotkey'), netuid(a), limit.isSome ? BigInt(limit.unwrap().toString()) : undefined);
    },
  },
  {
    index: 109,
    name: 'set_pending_childkey_cooldown',
    args: [{ name: 'cooldown', type: 'u64' }],
    weight: bench(3_000_000, 0, 0, 1),
    dispatch: (ctx, a) => {
      ctx.ensureRoot();
      ctx.storage.set(PendingChildKeyCooldown, [], bigIntOf(a['cooldown']));
    },
  },
  {
    index: 134,
    name: 'register_limit',
    args: [U16, HOTKEY, { name: 'limit_price', type: 'u64' }],
    weight: bench(354_200_000, 0, 47, 40),
    dispatch: (ctx, a) => registerLimit(ctx, netuid(a), account(a, 'hotkey'), bigIntOf(a['limit_price'])),
  },
  {
    index: 139,
    name: 'set_tempo',
    args: [U16, { name: 'tempo', type: 'u16' }],
    weight: bench(46_407_000, 4440, 6, 3),
    dispatch: (ctx, a) => setTempo(ctx, netuid(a), numberOf(a['tempo'])),
  },
  {
    index: 140,
    name: 'set_activity_cutoff_factor',
    args: [U16, { name: 'factor_milli', type: 'u32' }],
    weight: bench(39_193_000, 4364, 7, 2),
    dispatch: (ctx, a) => setActivityCutoffFactor(ctx, netuid(a), numberOf(a['factor_milli'])),
  },
  {
    index: 141,
    name: 'trigger_epoch',
    args: [U16],
    weight: bench(42_539_000, 4447, 8, 2),
    dispatch: (ctx, a) => triggerEpoch(ctx, netuid(a)),
  },
];

export const subtensorPallet = definePallet({
  index: 7,
  name: 'SubtensorModule',
  storage: subtensorStorage,
  events: subtensorEvents,
  errors: subtensorErrors,
  constants: Object.entries(subtensorConstants).map(([name, c]) => ({ name, type: c.type, value: c.value })),
  genesis: subtensorGenesis,
  onInitialize: blockStep,
  validateSigned: validateSubtensorCall,
  calls,
});
