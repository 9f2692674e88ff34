import { existsSync, readFileSync } from 'node:fs';
import { CrucibleError, createWallet, loadColdkey, walletFiles, type Keypair } from '@crucible/core';

/** One neuron's keys in crucible-local's own wallet folder (btcli layout, unencrypted: local use only). */
export interface LocalWallet {
  /** Wallet (coldkey) name, also the neuron's process and bucket name: `owner`, `validator-0`, `miner-2`. */
  name: string;
  hotkeyName: string;
  coldkeyAddress: string;
  hotkeyAddress: string;
}

function readAddress(file: string): string {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { ss58Address?: string };
  if (typeof parsed.ss58Address !== 'string') throw new CrucibleError('WALLET_MALFORMED', `${file} has no ss58Address`, { details: { file } });
  return parsed.ss58Address;
}

/** Creates the wallet when it is missing and returns its addresses either way, so `up` after `down` keeps its keys. */
export async function ensureLocalWallet(path: string, name: string): Promise<LocalWallet> {
  const location = { path, name, hotkey: 'default' };
  const files = walletFiles(location);
  if (existsSync(files.hotkeypub) && existsSync(files.coldkeypub)) {
    return { name, hotkeyName: 'default', coldkeyAddress: readAddress(files.coldkeypub), hotkeyAddress: readAddress(files.hotkeypub) };
  }
  const created = await createWallet(location, { overwrite: true });
  return { name, hotkeyName: 'default', coldkeyAddress: created.coldkeyAddress, hotkeyAddress: created.hotkeyAddress };
}

export function loadLocalColdkey(path: string, wallet: LocalWallet): Promise<Keypair> {
  return loadColdkey({ path, name: wallet.name });
}
