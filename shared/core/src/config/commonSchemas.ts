import { z } from 'zod';

/** Options every long-running process shares; each process schema embeds the ones it uses. */
export const loggingSchema = z.strictObject({
  level: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('lowest log level printed'),
  format: z.enum(['auto', 'json', 'pretty']).default('auto').describe('json lines, or readable lines; auto picks pretty on a terminal'),
});

export const metricsSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(0).describe('Prometheus /metrics port on 127.0.0.1 (0 picks a free port)'),
  host: z.string().default('127.0.0.1').describe('address the metrics server binds'),
  enabled: z.boolean().default(true).describe('serve /metrics'),
});

/** Bittensor's wallet flags: `--wallet.name`, `--wallet.hotkey`, `--wallet.path`. */
export const walletSchema = z.strictObject({
  name: z.string().min(1).default('default').describe('wallet (coldkey) name'),
  hotkey: z.string().min(1).default('default').describe('hotkey name inside the wallet'),
  path: z.string().min(1).default('~/.bittensor/wallets').describe('folder holding wallets in btcli layout'),
});

export const chainSchema = z.strictObject({
  endpoint: z.string().regex(/^wss?:\/\//, 'expected a ws:// or wss:// URL').default('ws://127.0.0.1:9944').describe('subtensor WebSocket endpoint'),
  archiveEndpoint: z
    .string()
    .regex(/^(wss?:\/\/.+)?$/, 'expected a ws:// or wss:// URL, or nothing')
    .default('')
    .describe('optional archive node for chain state older than the endpoint keeps (a lite node keeps ~256 blocks): replaying old windows, verifying a checkpoint older than that'),
});

export type LoggingConfig = z.output<typeof loggingSchema>;
export type MetricsConfig = z.output<typeof metricsSchema>;
export type WalletConfig = z.output<typeof walletSchema>;
export type ChainConfig = z.output<typeof chainSchema>;
