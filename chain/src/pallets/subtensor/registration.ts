/** `burned_register` at spec 233 (subtensor `do_burned_registration`). */
import type { AccountId, DispatchContext } from '../../runtime/pallet.js';
import { freeBalance, withdrawFee } from '../balances/currency.js';
import { sameAccount } from './accounts.js';
import { appendNeuron, claimHotkey, neuronToPrune, ownerOf, replaceNeuron, subnetExists, subnetN, uidOf } from './neurons.js';
import {
  Burn,
  BurnRegistrationsThisInterval,
  MaxAllowedUids,
  MaxRegistrationsPerBlock,
  NetworkRegistrationAllowed,
  RAORecycledForRegistration,
  RegistrationsThisBlock,
  RegistrationsThisInterval,
  TargetRegistrationsPerInterval,
} from './subtensorStorage.js';

const num = (ctx: DispatchContext, item: Parameters<DispatchContext['storage']['get']>[0], netuid: number) =>
  Number(ctx.storage.get(item, [netuid]).toString());

export function burnedRegister(ctx: DispatchContext, netuid: number, hotkey: AccountId): void {
  const coldkey = ctx.ensureSigned();
  if (netuid === 0) throw ctx.error('RegistrationNotPermittedOnRootSubnet');
  if (!subnetExists(ctx.storage, netuid)) throw ctx.error('SubNetworkDoesNotExist');
  if (ctx.storage.get(NetworkRegistrationAllowed, [netuid]).toJSON() !== true) throw ctx.error('SubNetRegistrationDisabled');
  if (num(ctx, RegistrationsThisBlock, netuid) >= num(ctx, MaxRegistrationsPerBlock, netuid)) throw ctx.error('TooManyRegistrationsThisBlock');
  if (num(ctx, RegistrationsThisInterval, netuid) >= 3 * num(ctx, TargetRegistrationsPerInterval, netuid)) {
    throw ctx.error('TooManyRegistrationsThisInterval');
  }
  if (uidOf(ctx.storage, netuid, hotkey) !== undefined) throw ctx.error('HotKeyAlreadyRegisteredInSubNet');
  const burn = BigInt(ctx.storage.get(Burn, [netuid]).toString());
  if (freeBalance(ctx.storage, coldkey) < burn) throw ctx.error('NotEnoughBalanceToStake');
  const owner = ownerOf(ctx.storage, hotkey);
  if (owner !== undefined && !sameAccount(owner, coldkey)) throw ctx.error('NonAssociatedColdKey');
  const maxUids = num(ctx, MaxAllowedUids, netuid);
  if (maxUids === 0) throw ctx.error('NoNeuronIdAvailable');

  // Choose the uid before paying, so a refused registration changes nothing.
  const n = subnetN(ctx.storage, netuid);
  const replaced = n < maxUids ? undefined : neuronToPrune(ctx.storage, netuid, ctx.blockNumber);
  if (n >= maxUids && replaced === undefined) throw ctx.error('NoNeuronIdAvailable');

  if (!withdrawFee(ctx, coldkey, burn)) throw ctx.error('NotEnoughBalanceToStake');
  claimHotkey(ctx.storage, coldkey, hotkey);
  let uid: number;
  if (replaced === undefined) {
    uid = appendNeuron(ctx, netuid, hotkey);
  } else {
    uid = replaced;
    replaceNeuron(ctx, netuid, uid, hotkey);
  }
  for (const item of [RegistrationsThisBlock, RegistrationsThisInterval, BurnRegistrationsThisInterval]) {
    ctx.storage.set(item, [netuid], num(ctx, item, netuid) + 1);
  }
  ctx.storage.set(RAORecycledForRegistration, [netuid], BigInt(ctx.storage.get(RAORecycledForRegistration, [netuid]).toString()) + burn);
  ctx.emit('NeuronRegistered', [netuid, uid, hotkey]);
}
