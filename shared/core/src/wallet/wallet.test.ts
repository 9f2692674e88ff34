import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { isCrucibleError } from '../errors.js';
import { verifySignature } from '../keys.js';
import { coldkeyPasswordEnv, createWallet, loadColdkey, loadColdkeyAddress, loadHotkey } from './wallet.js';

// The well-known Substrate development phrase; its root sr25519 account is public knowledge.
const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const DEV_ROOT = '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV';
const DEV_ROOT_PUB = '0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a';

function walletDir(): string {
  return mkdtempSync(join(tmpdir(), 'crucible-wallet-'));
}

/** Writes files exactly as btcli lays them out, without going through our writer. */
function writeBtcliWallet(root: string, name: string, hotkey: string, hotkeyJson: object, coldkeypubJson: object, coldkey?: string) {
  mkdirSync(join(root, name, 'hotkeys'), { recursive: true });
  writeFileSync(join(root, name, 'hotkeys', hotkey), JSON.stringify(hotkeyJson));
  writeFileSync(join(root, name, 'coldkeypub.txt'), JSON.stringify(coldkeypubJson));
  if (coldkey !== undefined) writeFileSync(join(root, name, 'coldkey'), coldkey);
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCrucibleError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a CrucibleError');
}

describe('btcli wallets', () => {
  it('reads an unencrypted hotkey file and coldkeypub.txt in btcli layout', async () => {
    const root = walletDir();
    writeBtcliWallet(
      root,
      'miner',
      'h1',
      { accountId: DEV_ROOT_PUB, publicKey: DEV_ROOT_PUB, secretPhrase: DEV_PHRASE, ss58Address: DEV_ROOT },
      { accountId: DEV_ROOT_PUB, publicKey: DEV_ROOT_PUB, ss58Address: DEV_ROOT },
    );
    const hotkey = await loadHotkey({ path: root, name: 'miner', hotkey: 'h1' });
    expect(hotkey.address).toBe(DEV_ROOT);
    expect(await loadColdkeyAddress({ path: root, name: 'miner' })).toBe(DEV_ROOT);
    const message = new TextEncoder().encode('hello');
    expect(verifySignature(message, hotkey.sign(message), DEV_ROOT)).toBe(true);
  });

  it('reads a hotkey that holds only privateKey + publicKey, in either sr25519 secret encoding', async () => {
    const root = walletDir();
    const created = await createWallet({ path: root, name: 'w', hotkey: 'full' });
    const full = JSON.parse(readFileSync(created.files.hotkey, 'utf8')) as { privateKey: string; publicKey: string };
    const expanded = hexToU8a(full.privateKey);
    // schnorrkel's canonical scalar is the expanded one divided by the cofactor 8.
    const canonical = expanded.slice();
    for (let i = 0; i < 32; i++) canonical[i] = ((expanded[i]! >> 3) | ((expanded[i + 1] ?? 0) << 5)) & 0xff;
    canonical[31] = expanded[31]! >> 3;
    for (const [hotkey, secret] of [['expanded', expanded], ['canonical', canonical]] as const) {
      writeFileSync(join(root, 'w', 'hotkeys', hotkey), JSON.stringify({ publicKey: full.publicKey, privateKey: u8aToHex(secret) }));
      expect((await loadHotkey({ path: root, name: 'w', hotkey })).address).toBe(created.hotkeyAddress);
    }
  });

  it('refuses missing, malformed and mismatched keyfiles with typed errors', async () => {
    const root = walletDir();
    expect(await errorCode(loadHotkey({ path: root, name: 'none', hotkey: 'x' }))).toMatch(/^WALLET_NOT_FOUND: hotkey not found/);
    writeBtcliWallet(root, 'bad', 'garbage', { publicKey: 'zz' } as object, {});
    expect(await errorCode(loadHotkey({ path: root, name: 'bad', hotkey: 'garbage' }))).toMatch(/^WALLET_MALFORMED: .*publicKey: expected 0x \+ 32 bytes/);
    writeBtcliWallet(root, 'bad', 'liar', { secretPhrase: DEV_PHRASE, ss58Address: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY' }, {});
    expect(await errorCode(loadHotkey({ path: root, name: 'bad', hotkey: 'liar' }))).toMatch(/^WALLET_MALFORMED: .*not the 5Grw/);
    writeBtcliWallet(root, 'bad', 'pubonly', { ss58Address: DEV_ROOT }, {});
    expect(await errorCode(loadHotkey({ path: root, name: 'bad', hotkey: 'pubonly' }))).toMatch(/^WALLET_MALFORMED: .*no secret/);
  });

  it('creates a wallet in btcli layout with 0600 files, and refuses to overwrite a key', async () => {
    const root = walletDir();
    const created = await createWallet({ path: root, name: 'local', hotkey: 'default' });
    expect(statSync(created.files.hotkey).mode & 0o777).toBe(0o600);
    expect(statSync(created.files.coldkey).mode & 0o777).toBe(0o600);
    const pub = JSON.parse(readFileSync(created.files.coldkeypub, 'utf8')) as Record<string, string>;
    expect(Object.keys(pub).sort()).toEqual(['accountId', 'publicKey', 'ss58Address']);
    expect((await loadColdkey({ path: root, name: 'local' })).address).toBe(created.coldkeyAddress);
    expect((await loadHotkey({ path: root, name: 'local', hotkey: 'default' })).address).toBe(created.hotkeyAddress);
    expect(await errorCode(createWallet({ path: root, name: 'local', hotkey: 'default' }))).toMatch(/^WALLET_EXISTS/);
    const second = await createWallet({ path: root, name: 'local', hotkey: 'second' });
    expect(second.coldkeyAddress).toBe(created.coldkeyAddress);
    expect(second.coldkeyMnemonic).toBeUndefined();
  });

  it('refuses an encrypted coldkey without its password, rejects a wrong one, opens with the right one', async () => {
    const root = walletDir();
    const created = await createWallet({ path: root, name: 'vault', hotkey: 'default' }, { coldkeyPassword: 'correct horse' });
    expect(readFileSync(created.files.coldkey).subarray(0, 5).toString()).toBe('$NACL');
    const env = coldkeyPasswordEnv('vault');
    expect(env).toBe('CRUCIBLE_COLDKEY_PASSWORD_VAULT');
    expect(await errorCode(loadColdkey({ path: root, name: 'vault' }))).toMatch(
      /^WALLET_ENCRYPTED: coldkey .* is encrypted; set its password in the environment variable CRUCIBLE_COLDKEY_PASSWORD_VAULT/,
    );
    expect(await errorCode(loadColdkey({ path: root, name: 'vault' }, { env: { [env]: 'wrong' } }))).toMatch(/^WALLET_PASSWORD_WRONG/);
    const coldkey = await loadColdkey({ path: root, name: 'vault' }, { env: { [env]: 'correct horse' } });
    expect(coldkey.address).toBe(created.coldkeyAddress);
    // The hotkey stays readable without any password, as with btcli.
    expect((await loadHotkey({ path: root, name: 'vault', hotkey: 'default' })).address).toBe(created.hotkeyAddress);
  }, 120_000);

  it('refuses legacy encryption formats with a clear message', async () => {
    const root = walletDir();
    writeBtcliWallet(root, 'old', 'h', {}, {}, '$ANSIBLE_VAULT;1.1;AES256\n6162');
    expect(await errorCode(loadColdkey({ path: root, name: 'old' }, { password: 'x' }))).toMatch(/^WALLET_ENCRYPTED: .*legacy ansible-vault/);
  });
});
