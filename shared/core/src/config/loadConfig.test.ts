import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isCrucibleError } from '../errors.js';
import { chainSchema, walletSchema } from './commonSchemas.js';
import { loadConfig, redactConfig } from './loadConfig.js';

const schema = z.strictObject({
  netuid: z.number().int().min(0).max(65535).default(1).describe('subnet id'),
  wallet: walletSchema.default(walletSchema.parse({})),
  chain: chainSchema.default(chainSchema.parse({})),
  rpcPort: z.number().int().min(1).max(65535).default(9944),
  tmp: z.boolean().default(false),
  mode: z.enum(['fast', 'safe']).default('safe'),
  storage: z.strictObject({ secretKey: z.string().meta({ secret: true }).default('') }).default({ secretKey: '' }),
});

function fileWith(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'crucible-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isCrucibleError(error, 'CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('loadConfig', () => {
  it('uses the schema defaults when nothing is given', () => {
    const { config, sources } = loadConfig(schema, { argv: [] });
    expect(config.netuid).toBe(1);
    expect(config.wallet).toEqual({ name: 'default', hotkey: 'default', path: '~/.bittensor/wallets' });
    expect(sources['wallet.name']).toBe('default');
  });

  it('applies file < env < flags, per field', () => {
    const file = fileWith({ netuid: 3, wallet: { name: 'from-file', hotkey: 'hk-file' }, mode: 'fast' });
    const { config, sources } = loadConfig(schema, {
      argv: ['--config', file, '--wallet.name', 'from-flag', '--rpc-port=9955', '--tmp'],
      env: { CRUCIBLE_WALLET_NAME: 'from-env', CRUCIBLE_WALLET_HOTKEY: 'hk-env', CRUCIBLE_NETUID: '7' },
    });
    expect(config.wallet.name).toBe('from-flag');
    expect(config.wallet.hotkey).toBe('hk-env');
    expect(config.netuid).toBe(7);
    expect(config.mode).toBe('fast');
    expect(config.rpcPort).toBe(9955);
    expect(config.tmp).toBe(true);
    expect(sources).toMatchObject({ 'wallet.name': 'flag', 'wallet.hotkey': 'env', netuid: 'env', mode: 'file', 'rpc-port': 'flag' });
  });

  it('reads the config file from the environment too', () => {
    const file = fileWith({ chain: { endpoint: 'wss://entrypoint.example:443' } });
    const { config } = loadConfig(schema, { argv: [], env: { CRUCIBLE_CONFIG: file } });
    expect(config.chain.endpoint).toBe('wss://entrypoint.example:443');
  });

  it('takes an optional archive endpoint beside the chain endpoint (none by default)', () => {
    expect(loadConfig(schema, { argv: [] }).config.chain.archiveEndpoint).toBe('');
    const { config } = loadConfig(schema, { argv: ['--chain.archive-endpoint', 'wss://archive.example:443'], env: {} });
    expect(config.chain.archiveEndpoint).toBe('wss://archive.example:443');
    expect(failure(() => loadConfig(schema, { argv: [], env: { CRUCIBLE_CHAIN_ARCHIVE_ENDPOINT: 'http://x' } }))).toContain('expected a ws:// or wss:// URL, or nothing');
  });

  it('names every invalid field, its value, its origin and what was expected, in one error', () => {
    const file = fileWith({ mode: 'turbo', bogus: true });
    const message = failure(() =>
      loadConfig(schema, {
        argv: ['--config', file, '--netuid', 'abc', '--chain.endpoint', 'http://x', '--wallet.nmae', 'x'],
        env: { CRUCIBLE_RPC_PORT: '70000' },
      }),
    );
    expect(message).toContain('6 problems');
    expect(message).toContain('--netuid = "abc": expected an integer >= 0 and <= 65535');
    expect(message).toContain('--chain.endpoint = "http://x": expected a ws:// or wss:// URL');
    expect(message).toContain('CRUCIBLE_RPC_PORT = 70000: expected an integer >= 1 and <= 65535');
    expect(message).toContain(`mode in ${file} = "turbo": expected one of fast, safe`);
    expect(message).toContain('unknown key bogus');
    expect(message).toContain('--wallet.nmae: unknown flag (did you mean --wallet.name?)');
  });

  it('rejects a flag that needs a value but has none', () => {
    expect(failure(() => loadConfig(schema, { argv: ['--netuid'] }))).toContain('--netuid: expected an integer');
  });

  it('fails clearly on an unreadable or non-JSON config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-config-'));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadConfig(schema, { argv: ['--config', join(dir, 'bad.json')] })).toThrow(/not valid JSON/);
    expect(() => loadConfig(schema, { argv: ['--config', join(dir, 'missing.json')] })).toThrow(/cannot read config file/);
  });

  it('redacts secret fields for printing, including in error messages', () => {
    const { config } = loadConfig(schema, { argv: ['--storage.secret-key', 'hunter2'] });
    expect(config.storage.secretKey).toBe('hunter2');
    expect(JSON.stringify(redactConfig(schema, config))).not.toContain('hunter2');
    const strictSecret = z.strictObject({ key: z.string().min(10).meta({ secret: true }) });
    expect(failure(() => loadConfig(strictSecret, { argv: ['--key', 'short'] }))).not.toContain('short');
  });
});

describe('nested sections', () => {
  it('fill in their fields\' defaults when the section itself has no default', () => {
    const plain = z.strictObject({ metrics: z.strictObject({ port: z.number().default(9100), host: z.string().default('127.0.0.1') }) });
    expect(loadConfig(plain, { argv: [] }).config).toEqual({ metrics: { port: 9100, host: '127.0.0.1' } });
    expect(loadConfig(plain, { argv: ['--metrics.port', '1'] }).config).toEqual({ metrics: { port: 1, host: '127.0.0.1' } });
  });

  it('still require a section with a required field', () => {
    const strict = z.strictObject({ storage: z.strictObject({ bucket: z.string() }) });
    expect(() => loadConfig(strict, { argv: [] })).toThrow('--storage.bucket = (missing): expected a string');
  });
});
