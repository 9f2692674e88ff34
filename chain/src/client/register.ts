import { CrucibleError, type Keypair } from '@crucible/core';
import { callOf } from './chainApi.js';
import type { ChainClient } from './connect.js';
import { submitExtrinsic, type TxReceipt } from './submit.js';

function eventData(receipt: TxReceipt, name: string): unknown[] {
  const event = receipt.events.find((e) => e.name === name);
  if (event === undefined) {
    throw new CrucibleError('CHAIN_RPC', `the extrinsic succeeded without emitting ${name}`, { details: { events: receipt.events.map((e) => e.name) } });
  }
  return event.data;
}

/**
 * `SubtensorModule.burned_register(netuid, hotkey)`, signed and paid by the coldkey: `Burn[netuid]` is
 * recycled through the subnet pool, and the price then rises ×1.26 (decaying again with a half-life of
 * BurnHalfLife blocks). Resolves with the uid from the NeuronRegistered event.
 */
export async function burnedRegister(
  client: ChainClient,
  coldkey: Keypair,
  netuid: number,
  hotkey: string,
): Promise<TxReceipt & { uid: number }> {
  const receipt = await submitExtrinsic(client, coldkey, callOf(client.api, 'subtensorModule', 'burnedRegister')(netuid, hotkey));
  const [, uid] = eventData(receipt, 'subtensorModule.NeuronRegistered');
  return { ...receipt, uid: Number(uid) };
}

/**
 * `SubtensorModule.register_limit(netuid, hotkey, limit_price)`: registers only while `Burn ≤ limitPriceRao`
 * (SubtensorModule.RegistrationPriceLimitExceeded otherwise), so a price that jumped since it was read
 * is never paid.
 */
export async function registerLimit(
  client: ChainClient,
  coldkey: Keypair,
  netuid: number,
  hotkey: string,
  limitPriceRao: bigint,
): Promise<TxReceipt & { uid: number }> {
  const receipt = await submitExtrinsic(client, coldkey, callOf(client.api, 'subtensorModule', 'registerLimit')(netuid, hotkey, limitPriceRao));
  const [, uid] = eventData(receipt, 'subtensorModule.NeuronRegistered');
  return { ...receipt, uid: Number(uid) };
}

/**
 * `SubtensorModule.register_network(hotkey)`, signed by the coldkey that pays the lock cost and becomes
 * the subnet owner. Resolves with the netuid from the NetworkAdded event; the hotkey becomes uid 0. At
 * spec 424 the new subnet has tempo 360, commit-reveal on, and no emission or staking until the owner's
 * `start_call` (see `startSubnet`).
 */
export async function registerNetwork(client: ChainClient, coldkey: Keypair, hotkey: string): Promise<TxReceipt & { netuid: number }> {
  const receipt = await submitExtrinsic(client, coldkey, callOf(client.api, 'subtensorModule', 'registerNetwork')(hotkey));
  const [netuid] = eventData(receipt, 'subtensorModule.NetworkAdded');
  return { ...receipt, netuid: Number(netuid) };
}

/** `SubtensorModule.serve_axon` with an IPv4 address given as a dotted string (0.0.0.0 allowed). */
export async function serveAxon(
  client: ChainClient,
  hotkey: Keypair,
  netuid: number,
  axon: { ip: string; port: number; version?: number; protocol?: number },
): Promise<TxReceipt> {
  const parts = axon.ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new CrucibleError('USAGE', `not an IPv4 address: ${axon.ip}`, { details: { ip: axon.ip } });
  }
  const ip = parts.reduce((acc, p) => acc * 256n + BigInt(p), 0n);
  const call = callOf(client.api, 'subtensorModule', 'serveAxon')(netuid, axon.version ?? 0, ip, axon.port, 4, axon.protocol ?? 0, 0, 0);
  return submitExtrinsic(client, hotkey, call);
}
