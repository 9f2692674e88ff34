/**
 * btcli-like subcommands over the typed client: create and start a subnet and set its owner
 * hyperparameters (signed by the owner coldkey, never through Sudo), register a hotkey, stake and
 * unstake (with price limits), transfer, print the metagraph. Each works against the devnet or any
 * subtensor node: `--chain.network finney|test|local` or `--chain.endpoint ws(s)://…`. Keys come from a
 * btcli wallet (`--wallet.name/--wallet.hotkey/--wallet.path`) or, on dev chains, `--cold-uri //Alice`
 * and `--hot-uri //Alice//hot`.
 */
import { z } from 'zod';
import { CrucibleError, defineCommand, expandHome, keypairFromUri, loadColdkey, loadHotkey, loggingSchema, walletSchema, type Command, type Keypair } from '@crucible/core';
import { getBalance, transfer } from './balances.js';
import { connectChain, type ChainClient } from './connect.js';
import { formatMetagraph, formatTao, json, parseTao } from './formatting.js';
import { getMetagraph } from './metagraph.js';
import { chainNetworkSchema, resolveChainEndpoint, type ChainNetworkConfig } from './networks.js';
import { burnedRegister, registerLimit, registerNetwork } from './register.js';
import { addStake, addStakeLimit, removeStake, removeStakeLimit } from './stake.js';
import { setSubnetHyperparameters, startSubnet } from './subnetOwner.js';
import { subnetSetSchema, updateFromFlags } from './subnetSetFlags.js';

const keysSchema = {
  chain: chainNetworkSchema.prefault({}),
  wallet: walletSchema.prefault({}),
  coldUri: z.string().min(2).optional().describe('dev coldkey secret URI (e.g. //Alice) instead of the wallet coldkey'),
  hotUri: z.string().min(2).optional().describe('dev hotkey secret URI (e.g. //Alice//hot) instead of the wallet hotkey'),
  logging: loggingSchema.prefault({}),
};
const netuid = z.number().int().min(0).max(65535).describe('subnet id');
const taoAmount = z.string().regex(/^[0-9]+(\.[0-9]{1,9})?$/, 'a TAO amount such as 12 or 0.5').describe('amount in TAO (up to 9 decimals)');
const limitPrice = taoAmount.optional().describe('price limit in TAO per alpha (uses the *_limit call)');
const allowPartial = z.boolean().default(false).describe('with --limit-price: stake or unstake the part that stays within the limit');

type Keys = { chain: ChainNetworkConfig; wallet: { name: string; hotkey: string; path: string }; coldUri?: string | undefined; hotUri?: string | undefined };

async function coldkeyOf(c: Keys): Promise<Keypair> {
  if (c.coldUri !== undefined) return keypairFromUri(c.coldUri);
  return loadColdkey({ path: expandHome(c.wallet.path), name: c.wallet.name }, { env: process.env });
}

async function hotkeyOf(c: Keys): Promise<Keypair> {
  if (c.hotUri !== undefined) return keypairFromUri(c.hotUri);
  return loadHotkey({ path: expandHome(c.wallet.path), name: c.wallet.name, hotkey: c.wallet.hotkey });
}

async function withClient<T>(c: { chain: ChainNetworkConfig }, signal: AbortSignal, fn: (client: ChainClient) => Promise<T>): Promise<T> {
  const client = await connectChain({ endpoint: resolveChainEndpoint(c.chain) });
  const close = () => void client.close();
  signal.addEventListener('abort', close, { once: true });
  try {
    return await fn(client);
  } finally {
    signal.removeEventListener('abort', close);
    await client.close();
  }
}

export const clientCommands: Record<string, Command<any>> = {
  'subnet-create': defineCommand({
    summary: 'register a new subnet (the coldkey pays the lock cost and owns it; the hotkey becomes uid 0)',
    schema: z.strictObject({ ...keysSchema }),
    async run(c, { print, signal }) {
      const [cold, hot] = [await coldkeyOf(c), await hotkeyOf(c)];
      const r = await withClient(c, signal, (client) => registerNetwork(client, cold, hot.address));
      print(json({ netuid: r.netuid, block: r.blockNumber, next: 'run subnet-start to open staking and start emission' }));
    },
  }),
  'subnet-start': defineCommand({
    summary: "start a subnet (start_call by its owner): staking opens and alpha emission begins",
    schema: z.strictObject({ ...keysSchema, netuid }),
    async run(c, { print, signal }) {
      const cold = await coldkeyOf(c);
      const r = await withClient(c, signal, (client) => startSubnet(client, cold, c.netuid));
      print(json({ netuid: c.netuid, firstEmissionBlock: r.firstEmissionBlock, block: r.blockNumber }));
    },
  }),
  'subnet-set': defineCommand({
    summary: "set the subnet owner's hyperparameters, signed by the owner coldkey (root-only ones are refused)",
    details: 'Root-only at spec 424, so not settable here: weights rate limit, kappa, max validators, registration allowed, and tempo outside [360, 50400].',
    schema: z.strictObject({ ...keysSchema, ...subnetSetSchema, netuid }),
    async run(c, { print, signal }) {
      const cold = await coldkeyOf(c);
      const update = updateFromFlags(c);
      if (Object.keys(update).length === 0) throw new CrucibleError('USAGE', 'give at least one hyperparameter to set');
      const receipts = await withClient(c, signal, (client) => setSubnetHyperparameters(client, cold, c.netuid, update));
      print(json({ netuid: c.netuid, set: Object.keys(update), blocks: receipts.map((r) => r.blockNumber) }));
    },
  }),
  register: defineCommand({
    summary: 'register the wallet hotkey on a subnet (the coldkey pays the burn); --limit-price caps it',
    schema: z.strictObject({ ...keysSchema, netuid, limitPrice: taoAmount.optional().describe('refuse to pay more than this (TAO)') }),
    async run(c, { print, signal }) {
      const [cold, hot] = [await coldkeyOf(c), await hotkeyOf(c)];
      const r = await withClient(c, signal, (client) =>
        c.limitPrice === undefined ? burnedRegister(client, cold, c.netuid, hot.address) : registerLimit(client, cold, c.netuid, hot.address, parseTao(c.limitPrice)),
      );
      print(json({ netuid: c.netuid, uid: r.uid, hotkey: hot.address, block: r.blockNumber }));
    },
  }),
  'stake-add': defineCommand({
    summary: 'stake TAO from the coldkey to a hotkey on a subnet (swapped to alpha; --limit-price caps the price)',
    schema: z.strictObject({ ...keysSchema, netuid, amount: taoAmount, limitPrice, allowPartial, hotkeyAddress: z.string().optional().describe('stake to this hotkey instead of the wallet hotkey') }),
    async run(c, { print, signal }) {
      const cold = await coldkeyOf(c);
      const hotkey = c.hotkeyAddress ?? (await hotkeyOf(c)).address;
      const amount = parseTao(c.amount);
      const r = await withClient(c, signal, (client) =>
        c.limitPrice === undefined
          ? addStake(client, cold, hotkey, c.netuid, amount)
          : addStakeLimit(client, cold, hotkey, c.netuid, amount, parseTao(c.limitPrice), { allowPartial: c.allowPartial }),
      );
      print(json({ netuid: c.netuid, hotkey, block: r.blockNumber, events: r.events.filter((e) => e.name === 'subtensorModule.StakeAdded') }));
    },
  }),
  'stake-remove': defineCommand({
    summary: 'unstake alpha from a hotkey on a subnet back to the coldkey (--limit-price floors the price)',
    schema: z.strictObject({ ...keysSchema, netuid, amount: taoAmount.describe('alpha to unstake (up to 9 decimals)'), limitPrice, allowPartial, hotkeyAddress: z.string().optional().describe('unstake from this hotkey instead of the wallet hotkey') }),
    async run(c, { print, signal }) {
      const cold = await coldkeyOf(c);
      const hotkey = c.hotkeyAddress ?? (await hotkeyOf(c)).address;
      const amount = parseTao(c.amount);
      const r = await withClient(c, signal, (client) =>
        c.limitPrice === undefined
          ? removeStake(client, cold, hotkey, c.netuid, amount)
          : removeStakeLimit(client, cold, hotkey, c.netuid, amount, parseTao(c.limitPrice), { allowPartial: c.allowPartial }),
      );
      print(json({ netuid: c.netuid, hotkey, block: r.blockNumber, events: r.events.filter((e) => e.name === 'subtensorModule.StakeRemoved') }));
    },
  }),
  transfer: defineCommand({
    summary: 'transfer TAO from the coldkey',
    schema: z.strictObject({ ...keysSchema, to: z.string().min(1).describe('destination ss58 address'), amount: taoAmount }),
    async run(c, { print, signal }) {
      const cold = await coldkeyOf(c);
      await withClient(c, signal, async (client) => {
        const r = await transfer(client, cold, c.to, parseTao(c.amount));
        print(json({ to: c.to, block: r.blockNumber, balance: formatTao(await getBalance(client, cold.address)) }));
      });
    },
  }),
  metagraph: defineCommand({
    summary: 'print a subnet metagraph (uids, keys, consensus stake, permits, incentive, dividends, emission)',
    schema: z.strictObject({ chain: chainNetworkSchema.prefault({}), netuid, json: z.boolean().default(false).describe('print JSON instead of a table'), logging: loggingSchema.prefault({}) }),
    async run(c, { print, signal }) {
      await withClient(c, signal, async (client) => {
        const mg = await getMetagraph(client, c.netuid);
        print(c.json ? json(mg) : formatMetagraph(mg));
      });
    },
  }),
};
