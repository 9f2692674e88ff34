import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CrucibleError } from '../errors.js';
import { cryptoReady, generateMnemonic, type Keypair } from '../keys.js';
import { claimedAddress, keyfileFromMnemonic, keypairFromKeyfile, parseKeyfileJson } from './keyfile.js';
import { decryptKeyfile, detectEncryption, encryptKeyfile } from './keyfileCrypto.js';

/**
 * Wallets in btcli's layout, so keys made with btcli work here and the reverse:
 *   <path>/<name>/coldkey              full keypair JSON, normally encrypted ($NACL)
 *   <path>/<name>/coldkeypub.txt       public-only JSON
 *   <path>/<name>/hotkeys/<hotkey>     full keypair JSON, normally unencrypted
 *   <path>/<name>/hotkeys/<hotkey>pub.txt
 */
export interface WalletLocation {
  path: string;
  name: string;
  hotkey: string;
}

/** The environment variable that holds a coldkey's password, named after the wallet. */
export function coldkeyPasswordEnv(name: string): string {
  return `CRUCIBLE_COLDKEY_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : resolve(path);
}

export function walletFiles(location: WalletLocation) {
  const dir = join(expandHome(location.path), location.name);
  return {
    dir,
    coldkey: join(dir, 'coldkey'),
    coldkeypub: join(dir, 'coldkeypub.txt'),
    hotkey: join(dir, 'hotkeys', location.hotkey),
    hotkeypub: join(dir, 'hotkeys', `${location.hotkey}pub.txt`),
  };
}

async function readKeyfileBytes(file: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new CrucibleError('WALLET_NOT_FOUND', `${what} not found at ${file}`, {
      cause,
      details: { file, hint: 'create one with `crucible-local wallet create` or btcli' },
    });
  }
}

/** Opens a keyfile: plain JSON, or `$NACL`-encrypted with `password`; refuses legacy formats clearly. */
async function openKeyfile(file: string, what: string, password: string | undefined, passwordEnv: string) {
  const bytes = await readKeyfileBytes(file, what);
  const encryption = detectEncryption(bytes);
  let plain = bytes;
  if (encryption === 'ansible-vault' || encryption === 'fernet') {
    throw new CrucibleError('WALLET_ENCRYPTED', `${what} ${file} uses btcli's legacy ${encryption} encryption, which Crucible does not read; re-encrypt it with a current btcli`, {
      details: { file, encryption },
    });
  }
  if (encryption === 'nacl') {
    if (password === undefined || password === '') {
      throw new CrucibleError('WALLET_ENCRYPTED', `${what} ${file} is encrypted; set its password in the environment variable ${passwordEnv}`, {
        details: { file, passwordEnv },
      });
    }
    plain = await decryptKeyfile(bytes, password, file);
  }
  return parseKeyfileJson(new TextDecoder().decode(plain), file);
}

export async function loadHotkey(location: WalletLocation, password?: string): Promise<Keypair> {
  await cryptoReady();
  const files = walletFiles(location);
  const data = await openKeyfile(files.hotkey, 'hotkey', password, `CRUCIBLE_HOTKEY_PASSWORD`);
  return keypairFromKeyfile(data, files.hotkey);
}

/** The coldkey's ss58 address from `coldkeypub.txt` (never needs a password). */
export async function loadColdkeyAddress(location: Omit<WalletLocation, 'hotkey'>): Promise<string> {
  await cryptoReady();
  const file = walletFiles({ ...location, hotkey: 'default' }).coldkeypub;
  const data = parseKeyfileJson(new TextDecoder().decode(await readKeyfileBytes(file, 'coldkeypub.txt')), file);
  return claimedAddress(data, file);
}

/**
 * The signing coldkey. An encrypted coldkey needs its password: `password`, or else the environment
 * variable `coldkeyPasswordEnv(name)` in `env`; without one it is refused with WALLET_ENCRYPTED.
 */
export async function loadColdkey(
  location: Omit<WalletLocation, 'hotkey'>,
  options: { password?: string; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<Keypair> {
  await cryptoReady();
  const files = walletFiles({ ...location, hotkey: 'default' });
  const passwordEnv = coldkeyPasswordEnv(location.name);
  const password = options.password ?? options.env?.[passwordEnv];
  const data = await openKeyfile(files.coldkey, 'coldkey', password, passwordEnv);
  const keypair = keypairFromKeyfile(data, files.coldkey);
  if (existsSync(files.coldkeypub)) {
    const pub = await loadColdkeyAddress(location);
    if (pub !== keypair.address) {
      throw new CrucibleError('WALLET_MALFORMED', `coldkey ${files.coldkey} is ${keypair.address} but coldkeypub.txt says ${pub}`, { details: { file: files.coldkey } });
    }
  }
  return keypair;
}

async function writeSecretFile(file: string, content: Uint8Array | string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
  await chmod(file, 0o600);
}

export interface CreatedWallet {
  coldkeyAddress: string;
  hotkeyAddress: string;
  /** Shown once to the user; anyone holding a mnemonic holds the key. */
  coldkeyMnemonic?: string;
  hotkeyMnemonic: string;
  files: ReturnType<typeof walletFiles>;
}

/**
 * Creates a wallet (or adds a hotkey to an existing one) in btcli's layout. The coldkey is encrypted
 * when `coldkeyPassword` is given; hotkeys are written unencrypted, as btcli does by default.
 */
export async function createWallet(
  location: WalletLocation,
  options: { coldkeyPassword?: string; coldkeyMnemonic?: string; hotkeyMnemonic?: string; overwrite?: boolean } = {},
): Promise<CreatedWallet> {
  await cryptoReady();
  const files = walletFiles(location);
  await mkdir(join(files.dir, 'hotkeys'), { recursive: true, mode: 0o700 });
  if (existsSync(files.hotkey) && !options.overwrite) {
    throw new CrucibleError('WALLET_EXISTS', `hotkey ${files.hotkey} already exists; refusing to overwrite a key`, { details: { file: files.hotkey } });
  }
  let coldkeyAddress: string;
  let coldkeyMnemonic: string | undefined;
  if (existsSync(files.coldkeypub) && !options.overwrite) {
    coldkeyAddress = await loadColdkeyAddress(location);
  } else {
    coldkeyMnemonic = options.coldkeyMnemonic ?? generateMnemonic(12);
    const cold = keyfileFromMnemonic(coldkeyMnemonic);
    const json = new TextEncoder().encode(JSON.stringify(cold.full));
    await writeSecretFile(files.coldkey, options.coldkeyPassword ? await encryptKeyfile(json, options.coldkeyPassword) : json);
    await writeSecretFile(files.coldkeypub, JSON.stringify(cold.pub));
    coldkeyAddress = cold.pub.ss58Address!;
  }
  const hotkeyMnemonic = options.hotkeyMnemonic ?? generateMnemonic(12);
  const hot = keyfileFromMnemonic(hotkeyMnemonic);
  await writeSecretFile(files.hotkey, JSON.stringify(hot.full));
  await writeSecretFile(files.hotkeypub, JSON.stringify(hot.pub));
  return { coldkeyAddress, hotkeyAddress: hot.pub.ss58Address!, ...(coldkeyMnemonic ? { coldkeyMnemonic } : {}), hotkeyMnemonic, files };
}
