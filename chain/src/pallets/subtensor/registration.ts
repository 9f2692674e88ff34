/**
 * Registration at spec 424 (`do_register`, `do_register_limit`): the coldkey pays `Burn`, which is
 * swapped into the subnet pool and the bought alpha destroyed ("recycled"); the hotkey gets the next uid
 * or replaces the pruning candidate (pruning.ts); the price then rises by BurnIncreaseMult.
 * `register` (PoW) ignores its work arguments and registers the same way, as the chain does.
 */
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import { freeBalance, withdrawFee } from '../balances/currency.js';
import { sameAccount } from './accounts.js';
import { bumpBurn } from './burnPrice.js';
import { appendNeuron, claimHotkey, ownerOf, replaceNeuron, subnetExists, subnetN, uidOf } from './neurons.js';
import { neuronToPrune } from './pruning.js';
import { addU64, big, flag, num } from './read.js';
import { swapTaoForAlpha } from './swap.js';
import { Burn, MaxAllowedUids, NetworkRegistrationAllowed, RAORecycledForRegistration, RegistrationsThisBlock, SubnetAlphaOut } from './subtensorStorage.js';

export function register(ctx: DispatchContext, netuid: number, hotkey: AccountId): void {
  const coldkey = ctx.ensureSigned();
  const s = ctx.storage;
  if (netuid === 0) throw ctx.error('RegistrationNotPermittedOnRootSubnet');
  if (!subnetExists(s, netuid)) throw ctx.error('SubnetNotExists');
  if (!flag(s, NetworkRegistrationAllowed, [netuid])) throw ctx.error('SubNetRegistrationDisabled');
  if (uidOf(s, netuid, hotkey) !== undefined) throw ctx.error('HotKeyAlreadyRegisteredInSubNet');
  const burn = big(s, Burn, [netuid]);
  if (freeBalance(s, coldkey) < burn) throw ctx.error('NotEnoughBalanceToStake');
  claimHotkey(s, coldkey, hotkey);
  const owner = ownerOf(s, hotkey);
  if (owner === undefined || !sameAccount(owner, coldkey)) throw ctx.error('NonAssociatedColdKey');
  const maxUids = num(s, MaxAllowedUids, [netuid]);
  if (maxUids === 0) throw ctx.error('NoNeuronIdAvailable');
  const full = subnetN(s, netuid) >= maxUids;
  const replaced = full ? neuronToPrune(s, netuid, ctx.blockNumber) : undefined;
  if (full && replaced === undefined) throw ctx.error('NoNeuronIdAvailable');

  if (!withdrawFee(ctx, coldkey, burn)) throw ctx.error('NotEnoughBalanceToStake');
  const bought = swapTaoForAlpha(s, netuid, burn).paidOut;
  addU64(s, SubnetAlphaOut, [netuid], -bought);
  let uid: number;
  if (replaced === undefined) {
    uid = appendNeuron(s, netuid, hotkey, ctx.blockNumber);
  } else {
    uid = replaced;
    replaceNeuron(s, netuid, uid, hotkey, ctx.blockNumber);
  }
  bumpBurn(s, netuid);
  s.set(RegistrationsThisBlock, [netuid], num(s, RegistrationsThisBlock, [netuid]) + 1);
  addU64(s, RAORecycledForRegistration, [netuid], burn);
  ctx.emit('NeuronRegistered', [netuid, uid, hotkey]);
}

/** `register_limit`: refuses with RegistrationPriceLimitExceeded when `Burn > limitPrice`. */
export function registerLimit(ctx: DispatchContext, netuid: number, hotkey: AccountId, limitPrice: bigint): void {
  ctx.ensureSigned();
  if (netuid === 0) throw ctx.error('RegistrationNotPermittedOnRootSubnet');
  if (!subnetExists(ctx.storage, netuid)) throw ctx.error('SubnetNotExists');
  if (big(ctx.storage, Burn, [netuid]) > limitPrice) throw ctx.error('RegistrationPriceLimitExceeded');
  register(ctx, netuid, hotkey);
}
