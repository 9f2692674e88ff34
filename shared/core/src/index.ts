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
