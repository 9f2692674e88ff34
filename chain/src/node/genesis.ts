/**
 * Genesis configuration: the dev accounts (Alice..Ferdie from the well-known dev phrase) endowed with
 * 1,000,000 TAO each and Alice as sudo, optionally extended by a JSON file
 * `{ "balances": [["<ss58 or //Uri>", "<rao>"], ...], "sudo": "<ss58 or //Uri>" }`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';
import type { GenesisConfig } from '../runtime/pallet.js';
import { resolveGenesisAccount } from '../pallets/balances/genesisAccounts.js';

export const DEV_ACCOUNTS = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'] as const;
export const DEV_ENDOWMENT = 1_000_000n * 1_000_000_000n;

export function devGenesis(): GenesisConfig {
  return { balances: DEV_ACCOUNTS.map((a) => [a, DEV_ENDOWMENT] as const), sudo: '//Alice' };
}

const amount = z.union([z.string().regex(/^[0-9]+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v));
const account = z.string().refine((s) => {
  try {
    resolveGenesisAccount(s);
    return true;
  } catch {
    return false;
  }
}, 'must be an SS58 address, 0x public key or //Uri');

const genesisFileSchema = z
  .object({
    balances: z.array(z.tuple([account, amount])).default([]),
    sudo: account.optional(),
    pallets: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** Dev genesis plus the accounts, sudo key and pallet settings of a genesis file. */
export function genesisFromFile(path: string): GenesisConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CrucibleError('CONFIG_FILE_UNREADABLE', `cannot read genesis file ${path}`, { cause });
  }
  const parsed = genesisFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CrucibleError('CONFIG_INVALID', `invalid genesis file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const dev = devGenesis();
  return {
    balances: [...dev.balances, ...parsed.data.balances],
    sudo: parsed.data.sudo ?? dev.sudo,
    ...(parsed.data.pallets === undefined ? {} : { pallets: parsed.data.pallets }),
  };
}
