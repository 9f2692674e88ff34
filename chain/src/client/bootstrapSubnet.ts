import type { Keypair } from '@crucible/core';
import { getBalance, transfer } from './balances.js';
import type { ChainClient } from './connect.js';
import type { SubnetHyperparameterUpdate } from './hyperparameterCalls.js';
import { burnedRegister, registerNetwork } from './register.js';
import { addStake } from './stake.js';
import { startSubnet } from './subnetOwner.js';
import { sudoSetHyperparameters } from './sudo.js';

export interface BootstrapNeuron {
  coldkey: Keypair;
  /** ss58 of the hotkey to register. */
  hotkey: string;
  /** TAO (rao) to stake from the coldkey to the hotkey after registering; validators need some. */
  stake?: bigint;
}

export interface BootstrapSubnetOptions {
  /** The sudo key: creates and owns the subnet, sets its hyperparameters (as root) and funds the coldkeys. */
  sudo: Keypair;
  /** ss58 of the owner hotkey (uid 0). */
  ownerHotkey: string;
  neurons: readonly BootstrapNeuron[];
  /** Merged over `localSubnetDefaults`. */
  hyperparameters?: SubnetHyperparameterUpdate;
  /** Each coldkey is topped up to at least this much free balance (rao) before registering. Default 1000 TAO. */
  fund?: bigint;
}

/**
 * Hyperparameters that let a local subnet run many neurons quickly: short epochs (tempo 20, root-only)
 * and weights every block (root-only). Commit-reveal keeps the chain's default (on), as on Bittensor:
 * validators commit and reveal through `submitWeights`.
 */
export const localSubnetDefaults: SubnetHyperparameterUpdate = {
  tempo: 20,
  weightsSetRateLimit: 0n,
  minAllowedWeights: 1,
};

/**
 * Creates a subnet and fills it, for tests and local deployments on a chain where `sudo` holds the sudo
 * key: register_network (the sudo key becomes the owner), the hyperparameters as root in one
 * Sudo.sudo(batch_all), the owner's start_call, funding, burned_register of each hotkey, and add_stake
 * where asked. Resolves with the netuid and each neuron's uid (in `neurons` order).
 */
export async function bootstrapSubnet(client: ChainClient, options: BootstrapSubnetOptions): Promise<{ netuid: number; uids: number[] }> {
  const { netuid } = await registerNetwork(client, options.sudo, options.ownerHotkey);
  await sudoSetHyperparameters(client, options.sudo, netuid, { ...localSubnetDefaults, ...options.hyperparameters });
  await startSubnet(client, options.sudo, netuid);
  const fund = options.fund ?? 1000n * 1_000_000_000n;
  const coldkeys = [...new Map(options.neurons.map((n) => [n.coldkey.address, n.coldkey])).values()];
  await Promise.all(
    coldkeys.map(async (c) => {
      const balance = await getBalance(client, c.address);
      if (balance < fund && c.address !== options.sudo.address) await transfer(client, options.sudo, c.address, fund - balance);
    }),
  );
  const registered = await Promise.all(options.neurons.map((n) => burnedRegister(client, n.coldkey, netuid, n.hotkey)));
  await Promise.all(options.neurons.map((n) => (n.stake !== undefined && n.stake > 0n ? addStake(client, n.coldkey, n.hotkey, netuid, n.stake) : undefined)));
  return { netuid, uids: registered.map((r) => r.uid) };
}
