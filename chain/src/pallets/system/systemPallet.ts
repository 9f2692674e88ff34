/**
 * frame_system (index 0): accounts, block bookkeeping and events. Block bookkeeping itself is driven by
 * the executive (src/runtime/blockExecutor.ts); this declares the pallet and its user-facing calls.
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import { definePallet, weight, type CallArgs, type DispatchContext } from '../../runtime/pallet.js';
import { BLOCK_HASH_COUNT, BLOCK_WEIGHTS, RUNTIME_VERSION, SS58_FORMAT } from '../../runtime/runtimeVersion.js';
import { BlockHash, LastRuntimeUpgrade, ParentHash, systemStorage, UpgradedToTripleRefCount, UpgradedToU32RefCount } from './systemStorage.js';

const HASH69 = '0x' + '45'.repeat(32);

export const DISPATCH_INFO = '{"weight":"SpWeightsWeightV2Weight","class":"FrameSupportDispatchDispatchClass","paysFee":"FrameSupportDispatchPays"}';
export const DISPATCH_ERROR =
  '{"_enum":{"Other":"Null","CannotLookup":"Null","BadOrigin":"Null","Module":"SpRuntimeModuleError","ConsumerRemaining":"Null","NoProviders":"Null","TooManyConsumers":"Null","Token":"SpRuntimeTokenError","Arithmetic":"SpArithmeticArithmeticError","Transactional":"SpRuntimeTransactionalError","Exhausted":"Null","Corruption":"Null","Unavailable":"Null","RootNotAllowed":"Null","Trie":"SpRuntimeProvingTrieTrieError"}}';

function bytesArg(args: CallArgs, name: string): Uint8Array {
  return (args[name] as { toU8a(bare: boolean): Uint8Array }).toU8a(true);
}

export const systemPallet = definePallet({
  index: 0,
  name: 'System',
  storage: systemStorage,
  calls: [
    {
      index: 0,
      name: 'remark',
      args: [{ name: 'remark', type: 'Bytes' }],
      weight: weight(2_000_000),
      dispatch(ctx) {
        ctx.ensureSigned();
      },
    },
    {
      index: 4,
      name: 'set_storage',
      args: [{ name: 'items', type: 'Vec<(Bytes,Bytes)>' }],
      weight: weight(10_000_000),
      class: 'Operational',
      dispatch(ctx, args) {
        ctx.ensureRoot();
        for (const item of args['items'] as unknown as Array<[{ toU8a(b: boolean): Uint8Array }, { toU8a(b: boolean): Uint8Array }]>) {
          ctx.storage.setRaw(hex(item[0].toU8a(true)), item[1].toU8a(true));
        }
      },
    },
    {
      index: 5,
      name: 'kill_storage',
      args: [{ name: 'keys', type: 'Vec<Bytes>' }],
      weight: weight(10_000_000),
      class: 'Operational',
      dispatch(ctx, args) {
        ctx.ensureRoot();
        for (const k of args['keys'] as unknown as Array<{ toU8a(b: boolean): Uint8Array }>) ctx.storage.removeRaw(hex(k.toU8a(true)));
      },
    },
    {
      index: 6,
      name: 'kill_prefix',
      args: [
        { name: 'prefix', type: 'Bytes' },
        { name: 'subkeys', type: 'u32' },
      ],
      weight: weight(10_000_000),
      class: 'Operational',
      dispatch(ctx: DispatchContext, args) {
        ctx.ensureRoot();
        const prefix = hex(bytesArg(args, 'prefix'));
        for (const k of ctx.storage.rawKeysWithPrefix(prefix)) ctx.storage.removeRaw(k);
      },
    },
    {
      index: 7,
      name: 'remark_with_event',
      args: [{ name: 'remark', type: 'Bytes' }],
      weight: weight(5_000_000),
      dispatch(ctx, args) {
        const who = ctx.ensureSigned();
        ctx.emit('Remarked', [who, blake2AsU8a(bytesArg(args, 'remark'), 256)]);
      },
    },
  ],
  events: [
    { index: 0, name: 'ExtrinsicSuccess', fields: [DISPATCH_INFO] },
    { index: 1, name: 'ExtrinsicFailed', fields: [DISPATCH_ERROR, DISPATCH_INFO] },
    { index: 3, name: 'NewAccount', fields: ['AccountId32'] },
    { index: 4, name: 'KilledAccount', fields: ['AccountId32'] },
    { index: 5, name: 'Remarked', fields: ['AccountId32', 'H256'] },
  ],
  errors: [
    { index: 0, name: 'InvalidSpecName' },
    { index: 1, name: 'SpecVersionNeedsToIncrease' },
    { index: 2, name: 'FailedToExtractRuntimeVersion' },
    { index: 3, name: 'NonDefaultComposite' },
    { index: 4, name: 'NonZeroRefCount' },
    { index: 5, name: 'CallFiltered' },
    { index: 6, name: 'MultiBlockMigrationsOngoing' },
    { index: 7, name: 'NothingAuthorized' },
    { index: 8, name: 'Unauthorized' },
  ],
  constants: [
    {
      name: 'BlockWeights',
      type: '{"baseBlock":"SpWeightsWeightV2Weight","maxBlock":"SpWeightsWeightV2Weight","perClass":"FrameSupportDispatchPerDispatchClassWeightsPerClass"}',
      value: BLOCK_WEIGHTS,
    },
    { name: 'BlockLength', type: '{"max":"FrameSupportDispatchPerDispatchClassU32"}', value: { max: { normal: 7864320, operational: 10485760, mandatory: 10485760 } } },
    { name: 'BlockHashCount', type: 'u32', value: BLOCK_HASH_COUNT },
    { name: 'DbWeight', type: '{"read":"u64","write":"u64"}', value: { read: 25000000, write: 100000000 } },
    {
      name: 'Version',
      type: '{"specName":"Text","implName":"Text","authoringVersion":"u32","specVersion":"u32","implVersion":"u32","apis":"Vec<([u8;8],u32)>","transactionVersion":"u32","systemVersion":"u8"}',
      value: RUNTIME_VERSION,
    },
    { name: 'SS58Prefix', type: 'u16', value: SS58_FORMAT },
  ],
  genesis(ctx) {
    // frame_system's genesis writes the placeholder hash69 for block 0; block 1 overwrites it with the
    // real genesis hash when it initializes (so do transaction validations against genesis).
    const s = ctx.storage;
    s.set(BlockHash, [0], HASH69);
    s.set(ParentHash, [], HASH69);
    s.set(LastRuntimeUpgrade, [], { specVersion: RUNTIME_VERSION.specVersion, specName: RUNTIME_VERSION.specName });
    s.set(UpgradedToU32RefCount, [], true);
    s.set(UpgradedToTripleRefCount, [], true);
  },
});

function hex(b: Uint8Array): string {
  return '0x' + Buffer.from(b).toString('hex');
}
