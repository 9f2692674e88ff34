import { ApiPromise, WsProvider } from '@polkadot/api';
import { CrucibleError, type Logger } from '@crucible/core';

/** A connection to any subtensor-compatible node (the devnet or a real subtensor endpoint). */
export interface ChainClient {
  readonly endpoint: string;
  /** The underlying @polkadot/api instance; prefer the typed functions of this module. */
  readonly api: ApiPromise;
  /** Idempotent. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** WebSocket endpoint, e.g. `ws://127.0.0.1:9944` or `wss://test.finney.opentensor.ai:443`. */
  endpoint: string;
  /** Give up when the first connection and metadata load take longer than this. Default 30 s. */
  connectTimeoutMs?: number;
  /** Delay between connection attempts, first and after a drop. Default 1 s. */
  reconnectDelayMs?: number;
  logger?: Logger;
}

/**
 * Connects, retrying every `reconnectDelayMs` until `connectTimeoutMs`, and keeps reconnecting after a
 * drop (the provider re-establishes subscriptions itself). Fails with SERVICE_UNAVAILABLE.
 */
export async function connectChain(options: ConnectOptions): Promise<ChainClient> {
  const { endpoint, connectTimeoutMs = 30_000, reconnectDelayMs = 1_000, logger } = options;
  const provider = new WsProvider(endpoint, reconnectDelayMs, undefined, undefined, undefined);
  // A close we asked for is not a dropped connection: say nothing then.
  let closing = false;
  provider.on('disconnected', () => {
    if (!closing) logger?.warn('chain disconnected, reconnecting', { endpoint });
  });
  provider.on('connected', () => logger?.debug('chain connected', { endpoint }));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CrucibleError('SERVICE_UNAVAILABLE', `could not connect to the chain at ${endpoint}`, {
            details: { endpoint, connectTimeoutMs },
          }),
        ),
      connectTimeoutMs,
    );
  });
  try {
    await Promise.race([provider.isReady, timeout]);
    const api = await Promise.race([ApiPromise.create({ provider, noInitWarn: true }), timeout]);
    let closed: Promise<void> | undefined;
    return {
      endpoint,
      api,
      close: () => {
        closing = true;
        return (closed ??= api.disconnect().catch(() => undefined));
      },
    };
  } catch (cause) {
    closing = true;
    await provider.disconnect().catch(() => undefined);
    if (cause instanceof CrucibleError) throw cause;
    throw new CrucibleError('SERVICE_UNAVAILABLE', `could not connect to the chain at ${endpoint}`, {
      details: { endpoint },
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
}
