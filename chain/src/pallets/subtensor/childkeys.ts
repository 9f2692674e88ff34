/**
 * Childkeys at spec 424 (`staking/set_children.rs`): a coldkey lends a share of its hotkey's stake on
 * a subnet to child hotkeys (`set_children`, proportions out of u64::MAX). Before `start_call` the
 * relation applies at once; afterwards it is scheduled in `PendingChildKeys` and applied at the first
 * epoch of the subnet after `PendingChildKeyCooldown` blocks. Inherited stake (stakeWeight.ts) and the
 * split of a child's dividends with its parents (`dividendsToParents`) follow the relations.
 */
import type { Codec } from '@polkadot/types/types';
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import type { StorageAccess } from '../../runtime/storageAccess.js';
import { accountOf, sameAccount } from './accounts.js';
import { add, floor, fromInt, mul, ratio, sub, U96F32, type Fixed } from './fixedPoint.js';
import { ownerOf, subnetExists } from './neurons.js';
import { big, flag, num } from './read.js';
import { relations } from './stakeWeight.js';
import {
  ChildKeys,
  ChildkeyTake,
  CKBurn,
  ParentKeys,
  PendingChildKeyCooldown,
  PendingChildKeys,
  StakeThreshold,
  SubnetOwnerHotkey,
  SubtokenEnabled,
  TaoWeight,
  TotalHotkeyAlpha,
  TransactionKeyLastBlock,
} from './subtensorStorage.js';

const U64_MAX = (1n << 64n) - 1n;
/** `TransactionType::SetChildren`: one change per hotkey and subnet every 150 blocks. */
const SET_CHILDREN_RATE_LIMIT = 150n;
const SET_CHILDREN_TX = 0;
const MAX_CHILDREN = 5;

type Children = Array<[bigint, AccountId]>;

export function setChildren(ctx: DispatchContext, hotkey: AccountId, netuid: number, children: Children): void {
  const coldkey = ctx.ensureSigned();
  const s = ctx.storage;
  const last = big(s, TransactionKeyLastBlock, [hotkey, netuid, SET_CHILDREN_TX]);
  if (last !== 0n && BigInt(ctx.blockNumber) - last < SET_CHILDREN_RATE_LIMIT) throw ctx.error('TxRateLimitExceeded');
  if (netuid === 0) throw ctx.error('RegistrationNotPermittedOnRootSubnet');
  if (!subnetExists(s, netuid)) throw ctx.error('SubnetNotExists');
  const owner = ownerOf(s, hotkey);
  if (owner === undefined || !sameAccount(owner, coldkey)) throw ctx.error('NonAssociatedColdKey');
  const seen = new Set<string>();
  for (const [, child] of children) {
    const key = Buffer.from(child).toString('hex');
    if (seen.has(key)) throw ctx.error('DuplicateChild');
    seen.add(key);
  }
  // PCRelations: no self loop, proportions within u64, at most 5 children, no child that is a parent.
  const parents = relations(s, ParentKeys, hotkey, netuid);
  if (children.some(([, child]) => sameAccount(child, hotkey))) throw ctx.error('InvalidChild');
  if (children.reduce((a, [p]) => a + p, 0n) > U64_MAX) throw ctx.error('ProportionOverflow');
  if (children.length > MAX_CHILDREN) throw ctx.error('TooManyChildren');
  if (children.some(([, child]) => parents.some(([, parent]) => sameAccount(parent, child)))) throw ctx.error('ChildParentInconsistency');
  const ownerHotkey = s.tryGet(SubnetOwnerHotkey, [netuid]);
  const isOwnerHotkey = ownerHotkey !== undefined && sameAccount(accountOf(ownerHotkey), hotkey);
  if (children.length > 0 && !isOwnerHotkey && totalStakeOfHotkey(s, hotkey) < big(s, StakeThreshold)) throw ctx.error('NotEnoughStakeToSetChildkeys');
  s.set(TransactionKeyLastBlock, [hotkey, netuid, SET_CHILDREN_TX], BigInt(ctx.blockNumber));

  if (!flag(s, SubtokenEnabled, [netuid])) {
    applyChildren(ctx, hotkey, netuid, children);
    return;
  }
  const cooldownBlock = BigInt(ctx.blockNumber) + big(s, PendingChildKeyCooldown);
  s.set(PendingChildKeys, [netuid, hotkey], [children, cooldownBlock]);
  ctx.emit('SetChildrenScheduled', [hotkey, netuid, cooldownBlock, children]);
}

/** `do_set_pending_children`, run for a subnet whose epoch fired this block. */
export function applyPendingChildren(ctx: DispatchContext, netuid: number): void {
  const s = ctx.storage;
  const started = flag(s, SubtokenEnabled, [netuid]);
  for (const { keys, value } of s.entries(PendingChildKeys, [netuid])) {
    const [list, cooldown] = value as unknown as [Codec, Codec];
    if (started && BigInt(cooldown.toString()) >= BigInt(ctx.blockNumber)) continue;
    const hotkey = accountOf(keys[1] as Codec);
    const children = (list as unknown as Codec[]).map((pair) => {
      const [p, who] = pair as unknown as [Codec, Codec];
      return [BigInt(p.toString()), accountOf(who)] as [bigint, AccountId];
    });
    applyChildren(ctx, hotkey, netuid, children);
    s.remove(PendingChildKeys, [netuid, hotkey]);
  }
}

function applyChildren(ctx: DispatchContext, hotkey: AccountId, netuid: number, children: Children): void {
  const s = ctx.storage;
  for (const [, old] of relations(s, ChildKeys, hotkey, netuid)) {
    s.set(ParentKeys, [old, netuid], relations(s, ParentKeys, old, netuid).filter(([, p]) => !sameAccount(p, hotkey)));
  }
  s.set(ChildKeys, [hotkey, netuid], children);
  for (const [p, child] of children) {
    const others = relations(s, ParentKeys, child, netuid).filter(([, parent]) => !sameAccount(parent, hotkey));
    s.set(ParentKeys, [child, netuid], [...others, [p, hotkey]]);
  }
  ctx.emit('SetChildren', [hotkey, netuid, children]);
}

/** `get_total_stake_for_hotkey`: the hotkey's alpha on every subnet, in TAO at the pools' prices (devnet: alpha on the root-less subnets as is). */
function totalStakeOfHotkey(s: StorageAccess, hotkey: AccountId): bigint {
  return s.entries(TotalHotkeyAlpha, [hotkey]).reduce((a, { value }) => a + BigInt(value.toString()), 0n);
}

/**
 * `get_parent_child_dividends_distribution`: a hotkey's dividends are shared with its parents by their
 * contribution to its stake (alpha + TaoWeight · root, times the proportion); a parent owned by another
 * coldkey leaves `ChildkeyTake` with the child and `CKBurn` is recycled.
 */
export function dividendsToParents(s: StorageAccess, hotkey: AccountId, netuid: number, dividend: bigint): Array<[AccountId, bigint]> {
  const parents = relations(s, ParentKeys, hotkey, netuid);
  if (parents.length === 0) return [[hotkey, dividend]];
  const w = ratio(big(s, TaoWeight), U64_MAX, U96F32);
  const contribution = (who: AccountId, proportion: Fixed): Fixed => {
    const alpha = mul(fromInt(big(s, TotalHotkeyAlpha, [who, netuid]), U96F32), proportion);
    const root = mul(mul(fromInt(big(s, TotalHotkeyAlpha, [who, 0]), U96F32), proportion), w);
    return add(alpha, root);
  };
  let remaining = fromInt(1n, U96F32);
  for (const [p] of relations(s, ChildKeys, hotkey, netuid)) remaining = sub(remaining, ratio(p, U64_MAX, U96F32));
  const self = fromInt(floor(contribution(hotkey, remaining)), U96F32);
  const parentParts = parents.map(([p, parent]) => [parent, contribution(parent, ratio(p, U64_MAX, U96F32))] as const);
  const totalBits = parentParts.reduce((a, [, c]) => a + c.bits, self.bits);
  const emission = fromInt(dividend, U96F32);
  const burnRate = ratio(big(s, CKBurn), U64_MAX, U96F32);
  const takeRate = ratio(BigInt(num(s, ChildkeyTake, [hotkey, netuid])), 65535n, U96F32);
  const childOwner = ownerOf(s, hotkey);
  let left = emission;
  let childTake = fromInt(0n, U96F32);
  const out: Array<[AccountId, bigint]> = [];
  for (const [parent, c] of parentParts) {
    let part = mul(emission, { bits: totalBits === 0n ? 0n : (c.bits << 32n) / totalBits, frac: U96F32 });
    left = sub(left, part);
    const parentOwner = ownerOf(s, parent);
    if (parentOwner === undefined || childOwner === undefined || !sameAccount(parentOwner, childOwner)) {
      const take = mul(takeRate, part);
      part = sub(sub(part, mul(burnRate, part)), take);
      childTake = add(childTake, take);
    }
    out.push([parent, floor(part)]);
  }
  out.push([hotkey, floor(add(left, childTake))]);
  return out;
}

