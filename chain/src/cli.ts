/**
 * `crucible-chain`: runs the devnet node. Prints its WebSocket endpoint on stdout once it accepts
 * connections, logs each block and extrinsic on stderr, serves Prometheus metrics, and closes cleanly on
 * SIGINT/SIGTERM.
 */
import { z } from 'zod';
import { type CliSpec, createMetricsRegistry, CrucibleError, defineCommand, loggingSchema, metricsSchema, runCliIfMain, startMetricsServer } from '@crucible/core';
import { clientCommands } from './client/commands.js';
import { startDevnet } from './node/devnet.js';
import { devGenesis, genesisFromFile } from './node/genesis.js';

export const nodeSchema = z.strictObject({
  rpcPort: z.number().int().min(0).max(65535).default(9944).describe('JSON-RPC port (WebSocket and HTTP POST) on --rpc-host; 0 picks a free port'),
  rpcHost: z.string().default('127.0.0.1').describe('address the RPC server binds'),
  blockTimeMs: z.number().int().min(10).default(12000).describe('milliseconds between blocks (Bittensor: 12000)'),
  basePath: z.string().min(1).optional().describe('directory holding the chain database; required unless --tmp'),
  tmp: z.boolean().default(false).describe('keep the chain in memory only (nothing survives a restart)'),
  genesis: z.string().min(1).optional().describe('genesis JSON file adding accounts/balances and the sudo key to the dev genesis'),
  finalityLag: z.number().int().min(0).max(64).default(2).describe('blocks by which finality trails the best block (GRANDPA on Bittensor: about 2)'),
  logging: loggingSchema.prefault({}),
  metrics: metricsSchema.prefault({}),
});

export const chainCli: CliSpec = {
  name: 'crucible-chain',
  description: 'a subtensor-compatible devnet node',
  envPrefix: 'CRUCIBLE_CHAIN',
  commands: {
    default: defineCommand({
      summary: 'run the devnet node',
      details: [
        'Dev accounts //Alice .. //Ferdie are endowed with 1,000,000 TAO each; //Alice is the sudo key.',
        'The node prints its endpoint (ws://host:port) on stdout once it accepts connections.',
      ].join('\n'),
      schema: nodeSchema,
      async run(config, { logger, signal, print }) {
        if (config.basePath === undefined && !config.tmp) throw new CrucibleError('USAGE', 'give --base-path <dir> or --tmp');
        if (config.basePath !== undefined && config.tmp) throw new CrucibleError('USAGE', '--base-path and --tmp exclude each other');
        const registry = createMetricsRegistry('crucible_chain');
        const node = await startDevnet({
          port: config.rpcPort,
          host: config.rpcHost,
          blockTimeMs: config.blockTimeMs,
          ...(config.basePath === undefined ? { tmp: true } : { basePath: config.basePath }),
          genesis: config.genesis === undefined ? devGenesis() : genesisFromFile(config.genesis),
          finalityLag: config.finalityLag,
          logger,
          metrics: registry,
        });
        const metrics = config.metrics.enabled ? await startMetricsServer(registry, config.metrics.port, config.metrics.host) : undefined;
        if (metrics !== undefined) logger.info('metrics', { url: metrics.url });
        print(node.endpoint);
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          else signal.addEventListener('abort', () => resolve(), { once: true });
        });
        await node.close();
        await metrics?.close();
        return 0;
      },
    }),
    ...clientCommands,
  },
};

// Run only as the executable (npm's bin is a symlink, hence realpath), not when imported.
export default chainCli;
runCliIfMain(import.meta.url, chainCli);
