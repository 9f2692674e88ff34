export { CrucibleError, describeError, errorCodes, isCrucibleError } from './errors.js';
export type { CrucibleErrorOptions, ErrorCode } from './errors.js';
export {
  blake2b256,
  cryptoReady,
  generateMnemonic,
  isValidAddress,
  keypairFromSecretKey,
  keypairFromUri,
  publicKeyOf,
  signBytes,
  SS58_PREFIX,
  toAddress,
  toHex,
  verifySignature,
} from './keys.js';
export type { Keypair } from './keys.js';
export { createLogger } from './log.js';
export type { LogFields, LogFormat, Logger, LoggerOptions, LogLevel } from './log.js';
export { Counter, createMetricsRegistry, Gauge, Histogram, Registry, startMetricsServer } from './metrics.js';
export type { MetricsServer } from './metrics.js';
export { blocksLeftInWindow, windowEndBlock, windowOf, windowStartBlock } from './window.js';
export { defineCommand, formatCommandHelp, runCli, runCliIfMain, runCliMain } from './cli/runCli.js';
export type { CliIo, CliSpec, Command, CommandContext } from './cli/runCli.js';
export { chainSchema, loggingSchema, metricsSchema, walletSchema } from './config/commonSchemas.js';
export type { ChainConfig, LoggingConfig, MetricsConfig, WalletConfig } from './config/commonSchemas.js';
export { formatOptions } from './config/formatHelp.js';
export { loadConfig, parseArgs, redactConfig } from './config/loadConfig.js';
export type { ConfigSourceName, LoadConfigOptions, LoadedConfig } from './config/loadConfig.js';
export { configFields } from './config/schemaFields.js';
export type { ConfigField } from './config/schemaFields.js';
export {
  coldkeyPasswordEnv,
  createWallet,
  expandHome,
  loadColdkey,
  loadColdkeyAddress,
  loadHotkey,
  walletFiles,
} from './wallet/wallet.js';
export type { CreatedWallet, WalletLocation } from './wallet/wallet.js';
