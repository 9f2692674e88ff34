/**
 * `startDevnet`: runtime + chain + pool + block timer + JSON-RPC server, resolved once the node
 * accepts connections. Used by the CLI, tests and other packages.
 */
import { waitReady } from '@polkadot/wasm-crypto';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Counter, createLogger, CrucibleError, Gauge, Histogram, Registry, type Logger } from '@crucible/core';
import { FileBlockStore, MemoryBlockStore, type BlockStore } from '../db/blockLog.js';
import { loadReference } from '../metadata/loadReference.js';
import type { GenesisConfig, PalletDecl } from '../runtime/pallet.js';
import { runtimePallets } from '../runtime/pallets.js';
import { servedApis } from '../runtimeApis/index.js';
import { Runtime } from '../runtime/runtime.js';
import { SS58_FORMAT } from '../runtime/runtimeVersion.js';
import { rpcMethods } from '../rpc/methods.js';
import { startRpcServer } from '../rpc/server.js';
import type { NodeServices } from '../rpc/services.js';
import { authorBlock } from './blockAuthor.js';
import { Chain } from './chain.js';
import { devGenesis } from './genesis.js';
import { TxPool, type TxWatcher } from './txPool.js';

export interface DevnetOptions {
  /** RPC port on 127.0.0.1; 0 picks a free one. Default 9944. */
  readonly port?: number;
  readonly host?: string;
  /** Block interval; default 12000 (Bittensor's). */
  readonly blockTimeMs?: number;
  /** Directory for the chain log; required unless `tmp`. */
  readonly basePath?: string;
  /** Keep everything in memory (the default when no basePath is given). */
  readonly tmp?: boolean;
  readonly genesis?: GenesisConfig;
  readonly logger?: Logger;
  /** Metrics registry to register the node's metrics in. */
  readonly metrics?: Registry;
  /** Pallets of the runtime; default: all of the devnet's. */
  readonly pallets?: readonly PalletDecl[];
  /** Blocks by which finality trails the best block (default 2, like GRANDPA on Bittensor). */
  readonly finalityLag?: number;
}

export interface Devnet {
  /** `ws://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** `http://127.0.0.1:<port>` */
  readonly httpEndpoint: string;
  readonly port: number;
  readonly chain: Chain;
  readonly runtime: Runtime;
  readonly genesisHash: string;
  /** Builds a block now (tests use it instead of waiting for the timer); returns its number. */
  produceBlock(): number;
  close(): Promise<void>;
}

export const NODE_NAME = 'crucible-chain';
export const NODE_VERSION = '0.1.0';

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  await cryptoWaitReady();
  await waitReady();
  const log = options.logger ?? createLogger({ name: 'chain' });
  const blockTimeMs = options.blockTimeMs ?? 12_000;
  if (!Number.isInteger(blockTimeMs) || blockTimeMs < 10) throw new CrucibleError('CONFIG_INVALID', `blockTimeMs must be an integer ≥ 10, got ${blockTimeMs}`);
  const runtime = new Runtime(options.pallets ?? runtimePallets, loadReference(), servedApis());
  runtime.onPalletBug = (err) =>
    log.error('pallet threw a non-DispatchError (reported as DispatchError::Other)', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  const store: BlockStore = options.tmp === true || options.basePath === undefined ? new MemoryBlockStore() : new FileBlockStore(options.basePath);
  if (store.recovered > 0) log.warn('dropped a torn block at the end of the chain log (crash during a write)');
  const chain = Chain.open(runtime, store, options.genesis ?? devGenesis(), options.finalityLag);
  const pool = new TxPool(runtime, chain);
  const metrics = nodeMetrics(options.metrics);
  metrics.height.set(chain.best.header.number);

  chain.on('block', () => {
    metrics.height.set(chain.best.header.number);
  });

  const services: NodeServices = {
    runtime,
    chain,
    pool,
    info: {
      name: NODE_NAME,
      version: NODE_VERSION,
      chain: 'Bittensor',
      chainType: 'Development',
      properties: { ss58Format: SS58_FORMAT, tokenDecimals: 9, tokenSymbol: 'TAO' },
    },
    lastChangedKeys: () => chain.lastChangedKeys,
    submit(bytes: Uint8Array, watcher?: TxWatcher) {
      try {
        const r = pool.submit(bytes, watcher);
        metrics.submitted.inc({ result: r.status });
        log.debug('extrinsic submitted', { hash: r.hash, status: r.status });
        return r;
      } catch (e) {
        metrics.submitted.inc({ result: 'rejected' });
        log.info('extrinsic rejected', { error: (e as Error).message });
        throw e;
      }
    },
  };

  let producing = false;
  let lastTimestamp = 0n;
  const produceBlock = (): number => {
    if (producing) return chain.best.header.number;
    producing = true;
    const t0 = performance.now();
    try {
      const now = BigInt(Math.max(Date.now(), Number(lastTimestamp) + 1));
      lastTimestamp = now;
      const authored = authorBlock(runtime, chain, pool, now);
      metrics.blockSeconds.observe((performance.now() - t0) / 1000);
      metrics.extrinsics.inc(authored.included.length);
      const { block } = authored;
      log.info('block', {
        number: block.header.number,
        hash: block.hashHex,
        extrinsics: block.extrinsics.length,
        failed: authored.included.filter((x) => !x.success).length,
        dropped: authored.dropped,
        pool: pool.size,
      });
      for (const x of authored.included) log.info('extrinsic included', { block: block.header.number, hash: x.hash, success: x.success });
      return block.header.number;
    } finally {
      producing = false;
    }
  };

  const methods = rpcMethods(services);
  const server = await startRpcServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 9944,
    methods,
    onError: (method, err) => log.error('rpc handler failed', { method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    onRequest: (transport) => metrics.rpcRequests.inc({ transport }),
  });

  const timer = setInterval(() => {
    try {
      produceBlock();
    } catch (e) {
      log.error('block production failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }, blockTimeMs);

  const host = options.host ?? '127.0.0.1';
  const endpoint = `ws://${host}:${server.port}`;
  log.info('devnet ready', { endpoint, best: chain.best.header.number, genesis: chain.genesis.hashHex, blockTimeMs, persistent: !(store instanceof MemoryBlockStore) });
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    httpEndpoint: `http://${host}:${server.port}`,
    port: server.port,
    chain,
    runtime,
    genesisHash: chain.genesis.hashHex,
    produceBlock,
    close: () => {
      closed ??= (async () => {
        clearInterval(timer);
        await server.close();
        chain.close();
        log.info('devnet stopped', { best: chain.best.header.number });
      })();
      return closed;
    },
  };
}

interface NodeMetrics {
  height: Gauge;
  extrinsics: Counter;
  submitted: Counter;
  rpcRequests: Counter;
  blockSeconds: Histogram;
}

function nodeMetrics(registry: Registry | undefined): NodeMetrics {
  const registers = registry === undefined ? [] : [registry];
  return {
    height: new Gauge({ name: 'crucible_chain_best_block', help: 'Number of the best block', registers }),
    extrinsics: new Counter({ name: 'crucible_chain_extrinsics_included_total', help: 'Signed extrinsics included in blocks', registers }),
    submitted: new Counter({ name: 'crucible_chain_extrinsics_submitted_total', help: 'Extrinsics submitted, by pool outcome', labelNames: ['result'], registers }),
    rpcRequests: new Counter({ name: 'crucible_chain_rpc_messages_total', help: 'JSON-RPC messages received', labelNames: ['transport'], registers }),
    blockSeconds: new Histogram({
      name: 'crucible_chain_block_build_seconds',
      help: 'Time to build, commit and persist a block',
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2],
      registers,
    }),
  };
}
