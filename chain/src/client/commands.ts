/**
 * btcli-like subcommands over the typed client, for a local user: create a subnet, register a hotkey,
 * stake and unstake, set hyperparameters (sudo), transfer, print the metagraph. Each works against the
 * devnet or any subtensor endpoint (`--chain.endpoint`). Keys come from a btcli wallet
 * (`--wallet.name/--wallet.hotkey/--wallet.path`) or, for dev chains, from `--cold-uri //Alice` and
 * `--hot-uri //Alice//hot`.
 */
import { z } from 'zod';
import {
  chainSchema,
  CrucibleError,
  defineCommand,
  expandHome,
  keypairFromUri,
  loadColdkey,
  loadHotkey,
  loggingSchema,
  walletSchema,
  type Command,
  type Keypair,
} from '@crucible/core';
import { getBalance, transfer } from './balances.js';
import { connectChain, type ChainClient } from './connect.js';
import { getMetagraph, type Metagraph } from './metagraph.js';
import { burnedRegister, registerNetwork } from './register.js';
import { addStake, removeStake } from './stake.js';
import { sudoSetHyperparameters, type SubnetHyperparameterUpdate } from './sudo.js';

const keysSchema = {
  chain: chainSchema.prefault({}),
  wallet: walletSchema.prefault({}),
  coldUri: z.string().min(2).optional().describe('dev coldkey secret URI (e.g. //Alice) instead of the wallet coldkey'),
  hotUri: z.string().min(2).optional().describe('dev hotkey secret URI (e.g. //Alice//hot) instead of the wallet hotkey'),
  logging: loggingSchema.prefault({}),
};
const netuid = z.number().int().min(0).max(65535).describe('subnet id');
const taoAmount = z.string().regex(/^[0-9]+(\.[0-9]{1,9})?$/, 'a TAO amount such as 12 or 0.5').describe('amount in TAO (up to 9 decimals)');

type Keys = { chain: { endpoint: string }; wallet: { name: string; hotkey: string; path: string }; coldUri?: string | undefined; hotUri?: string | undefined };

/** "1.5" TAO → 1 500 000 000 rao. */
export function parseTao(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

export function formatTao(rao: bigint): string {
  const whole = rao / 1_000_000_000n;
  const fraction = (rao % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

async function coldkeyOf(c: Keys): Promise<Keypair> {
  if (c.coldUri !== undefined) return keypairFromUri(c.coldUri);
  return loadColdkey({ path: expandHome(c.wallet.path), name: c.wallet.name }, { env: process.env });
}

async function hotkeyOf(c: Keys): Promise<Keypair> {
  if (c.hotUri !== undefined) return keypairFromUri(c.hotUri);
  return loadHotkey({ path: expandHome(c.wallet.path), name: c.wallet.name, hotkey: c.wallet.hotkey });
}

async function withClient<T>(c: Keys, signal: AbortSignal, fn: (client: ChainClient) => Promise<T>): Promise<T> {
  const client = await connectChain({ endpoint: c.chain.endpoint });
  const close = () => void client.close();
  signal.addEventListener('abort', close, { once: true });
  try {
    return await fn(client);
  } finally {
    signal.removeEventListener('abort', close);
    await client.close();
  }
}

/** A readable metagraph table, one line per uid. */
export function formatMetagraph(mg: Metagraph): string {
  const header = `netuid ${mg.netuid} at block ${mg.block}: ${mg.n} neurons, tempo ${mg.hyperparameters.tempo}`;
  const columns = ['uid', 'hotkey', 'coldkey', 'stake(α)', 'vpermit', 'incentive', 'dividends', 'emission(α)', 'last_update'];
  const rows = mg.uids.map((uid) => [
    String(uid),
    mg.hotkeys[uid] ?? '',
    mg.coldkeys[uid] ?? '',
    formatTao(mg.stake[uid] ?? 0n),
    mg.validatorPermit[uid] === true ? '*' : '',
    (mg.incentive[uid] ?? 0).toFixed(5),
    (mg.dividends[uid] ?? 0).toFixed(5),
    formatTao(mg.emission[uid] ?? 0n),
    String(mg.lastUpdate[uid] ?? 0),
  ]);
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [header, line(columns), ...rows.map(line)].join('\n');
}

const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2);

export const clientCommands: Record<string, Command<any>> = {
  'subnet-create': defineCommand({
    summary: 'register a new subnet (the coldkey pays the lock cost; the hotkey becomes uid 0)',
    schema: z.strictObject({ ...keysSchema }),
    async run(c, { print, signal }) {
      const [cold, hot] = [await coldkeyOf(c), await hotkeyOf(c)];
      const r = await withClient(c, signal, (client) => registerNetwork(client, cold, hot.address));
      print(json({ netuid: r.netuid, block: r.blockNumber }));
    },
  }),
  register: defineCommand({
    summary: 'burned_register the wallet hotkey on a subnet (the coldkey pays the burn)',
    schema: z.strictObject({ ...keysSchema, netuid }),
    async run(c, { print, signal }) {
      const [cold, hot] = [await coldkeyOf(c), await hotkeyOf(c)];
      const r = await withClient(c, signal, (client) => burnedRegister(client, cold, c.netuid, hot.address));
      print(json({ netuid: c.netuid, uid: r.uid, hotkey: hot.address, block: r.blockNumber }));
    },
  }),
  'stake-add': defineCommand({
    summary: 'stake TAO from the coldkey to a hotkey on a subnet',
    schema: z.strictObject({ ...keysSchema, netuid, amount: taoAmount, hotkeyAddress: z.string().optional().describe('stake to this hotkey instead of the wallet hotkey') }),
    async run(c, { print, signal }) {
      const cold = await coldkeyOf(c);
      const hotkey = c.hotkeyAddress ?? (await hotkeyOf(c)).address;
      const r = await withClient(c, signal, (client) => addStake(client, cold, hotkey, c.netuid, parseTao(c.amount)));
      print(json({ netuid: c.netuid, hotkey, block: r.blockNumber }));
    },
  }),
  'stake-remove': defineCommand({
    summary: 'unstake alpha from a hotkey on a subnet back to the coldkey',
    schema: z.strictObject({ ...keysSchema, netuid, amount: taoAmount, hotkeyAddress: z.string().optional().describe('unstake from this hotkey instead of the wallet hotkey') }),
    async run(c, { print, signal }) {
      const cold = await coldkeyOf(c);
      const hotkey = c.hotkeyAddress ?? (await hotkeyOf(c)).address;
      const r = await withClient(c, signal, (client) => removeStake(client, cold, hotkey, c.netuid, parseTao(c.amount)));
      print(json({ netuid: c.netuid, hotkey, block: r.blockNumber }));
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
  'subnet-set': defineCommand({
    summary: 'set subnet hyperparameters with Sudo.sudo(AdminUtils.sudo_set_*) (the coldkey must be the sudo key)',
    schema: z.strictObject({
      ...keysSchema,
      netuid,
      tempo: z.number().int().min(0).max(65535).optional().describe('blocks between epochs'),
      maxAllowedUids: z.number().int().min(1).max(65535).optional().describe('subnet capacity'),
      maxAllowedValidators: z.number().int().min(1).max(65535).optional().describe('validator permits per epoch'),
      immunityPeriod: z.number().int().min(0).max(65535).optional().describe('blocks a new neuron cannot be pruned'),
      weightsSetRateLimit: z.number().int().min(0).optional().describe('blocks between set_weights per uid'),
      minAllowedWeights: z.number().int().min(0).max(65535).optional().describe('minimum weights per set_weights'),
      weightsVersionKey: z.number().int().min(0).optional().describe('lowest accepted weights version key'),
      activityCutoff: z.number().int().min(0).max(65535).optional().describe('blocks after which a silent validator is inactive'),
      targetRegistrationsPerInterval: z.number().int().min(0).max(65535).optional().describe('registrations per adjustment interval (3x is the cap)'),
      maxRegistrationsPerBlock: z.number().int().min(0).max(65535).optional().describe('registrations per block'),
    }),
    async run(c, { print, signal }) {
      const cold = await coldkeyOf(c);
      const update: SubnetHyperparameterUpdate = {};
      if (c.tempo !== undefined) update.tempo = c.tempo;
      if (c.maxAllowedUids !== undefined) update.maxAllowedUids = c.maxAllowedUids;
      if (c.maxAllowedValidators !== undefined) update.maxAllowedValidators = c.maxAllowedValidators;
      if (c.immunityPeriod !== undefined) update.immunityPeriod = c.immunityPeriod;
      if (c.weightsSetRateLimit !== undefined) update.weightsSetRateLimit = BigInt(c.weightsSetRateLimit);
      if (c.minAllowedWeights !== undefined) update.minAllowedWeights = c.minAllowedWeights;
      if (c.weightsVersionKey !== undefined) update.weightsVersionKey = BigInt(c.weightsVersionKey);
      if (c.activityCutoff !== undefined) update.activityCutoff = c.activityCutoff;
      if (c.targetRegistrationsPerInterval !== undefined) update.targetRegistrationsPerInterval = c.targetRegistrationsPerInterval;
      if (c.maxRegistrationsPerBlock !== undefined) update.maxRegistrationsPerBlock = c.maxRegistrationsPerBlock;
      if (Object.keys(update).length === 0) throw new CrucibleError('USAGE', 'give at least one hyperparameter to set');
      const receipts = await withClient(c, signal, (client) => sudoSetHyperparameters(client, cold, c.netuid, update));
      print(json({ netuid: c.netuid, set: Object.keys(update), blocks: receipts.map((r) => r.blockNumber) }));
    },
  }),
  metagraph: defineCommand({
    summary: 'print a subnet metagraph (uids, keys, stake, permits, incentive, dividends, emission)',
    schema: z.strictObject({ chain: chainSchema.prefault({}), netuid, json: z.boolean().default(false).describe('print JSON instead of a table'), logging: loggingSchema.prefault({}) }),
    async run(c, { print, signal }) {
      const client = await connectChain({ endpoint: c.chain.endpoint });
      const close = () => void client.close();
      signal.addEventListener('abort', close, { once: true });
      try {
        const mg = await getMetagraph(client, c.netuid);
        print(c.json ? json(mg) : formatMetagraph(mg));
      } finally {
        await client.close();
      }
    },
  }),
};
