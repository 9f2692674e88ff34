/**
 * Named networks as btcli knows them, and the chain flags of this package's commands:
 * `--chain.network finney|test|local|<ws(s) URL>` and `--chain.endpoint <ws(s) URL>`. An explicit
 * endpoint wins; otherwise the network is resolved; neither means the local devnet.
 */
import { z } from 'zod';
import { CrucibleError } from '@crucible/core';

export const NETWORKS = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
} as const;

export type NetworkName = keyof typeof NETWORKS;

const wsUrl = z.string().regex(/^wss?:\/\//, 'expected a ws:// or wss:// URL');

export const chainNetworkSchema = z.strictObject({
  network: z
    .union([z.enum(['finney', 'test', 'local']), wsUrl])
    .optional()
    .describe('network: finney, test, local, or a ws(s):// URL (default local)'),
  endpoint: wsUrl.optional().describe('subtensor WebSocket endpoint; overrides --chain.network'),
});

export type ChainNetworkConfig = z.output<typeof chainNetworkSchema>;

/** The WebSocket endpoint for `{ network, endpoint }` (endpoint first, then network, then local). */
export function resolveChainEndpoint(config: { network?: string | undefined; endpoint?: string | undefined }): string {
  if (config.endpoint !== undefined) return config.endpoint;
  const network = config.network ?? 'local';
  if (network in NETWORKS) return NETWORKS[network as NetworkName];
  if (/^wss?:\/\//.test(network)) return network;
  throw new CrucibleError('USAGE', `unknown network ${network}: use finney, test, local or a ws(s):// URL`, { details: { network } });
}
