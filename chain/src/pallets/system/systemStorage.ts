import { storageMap, storageValue } from '../../runtime/pallet.js';

const P = 'System';

export const Account = storageMap(P, 'Account', {
  hashers: ['Blake2_128Concat'],
  keys: ['AccountId32'],
  value: '{"nonce":"u32","consumers":"u32","providers":"u32","sufficients":"u32","data":"PalletBalancesAccountData"}',
});
export const ExtrinsicCount = storageValue(P, 'ExtrinsicCount', 'u32', { modifier: 'Optional' });
export const InherentsApplied = storageValue(P, 'InherentsApplied', 'bool');
export const BlockWeight = storageValue(
  P,
  'BlockWeight',
  '{"normal":"SpWeightsWeightV2Weight","operational":"SpWeightsWeightV2Weight","mandatory":"SpWeightsWeightV2Weight"}',
);
export const AllExtrinsicsLen = storageValue(P, 'AllExtrinsicsLen', 'u32', { modifier: 'Optional' });
export const BlockHash = storageMap(P, 'BlockHash', { hashers: ['Twox64Concat'], keys: ['u32'], value: 'H256' });
export const Number = storageValue(P, 'Number', 'u32');
export const ParentHash = storageValue(P, 'ParentHash', 'H256');
export const Digest = storageValue(P, 'Digest', '{"logs":"Vec<SpRuntimeDigestDigestItem>"}');
export const Events = storageValue(P, 'Events', 'Vec<FrameSystemEventRecord>');
export const EventCount = storageValue(P, 'EventCount', 'u32');
export const EventTopics = storageMap(P, 'EventTopics', { hashers: ['Blake2_128Concat'], keys: ['H256'], value: 'Vec<(u32,u32)>' });
export const LastRuntimeUpgrade = storageValue(P, 'LastRuntimeUpgrade', '{"specVersion":"Compact<u32>","specName":"Text"}', {
  modifier: 'Optional',
});
export const UpgradedToU32RefCount = storageValue(P, 'UpgradedToU32RefCount', 'bool');
export const UpgradedToTripleRefCount = storageValue(P, 'UpgradedToTripleRefCount', 'bool');
export const ExecutionPhase = storageValue(P, 'ExecutionPhase', '{"_enum":{"ApplyExtrinsic":"u32","Finalization":"Null","Initialization":"Null"}}', {
  modifier: 'Optional',
});

export const systemStorage = [
  Account,
  ExtrinsicCount,
  InherentsApplied,
  BlockWeight,
  AllExtrinsicsLen,
  BlockHash,
  Number,
  ParentHash,
  Digest,
  Events,
  EventCount,
  EventTopics,
  LastRuntimeUpgrade,
  UpgradedToU32RefCount,
  UpgradedToTripleRefCount,
  ExecutionPhase,
];
