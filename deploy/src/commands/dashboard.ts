import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CrucibleError, defineCommand, loggingSchema } from '@crucible/core';
import { endpointPolicyFromFlags, peerEndpointFlagsSchema } from '@crucible/storage';
import { startDashboard } from '../dashboard/startDashboard.js';
import { readSubnetRecord } from '../local/subnetRecord.js';

export const dashboardSchema = z.strictObject({
  dir: z.string().default('.crucible/local').describe('folder of the local subnet to show'),
  port: z.number().int().min(0).max(65535).default(0).describe('HTTP port on 127.0.0.1 (0 picks a free one)'),
  refreshMs: z.number().int().min(100).default(1000).describe('how often the snapshot is rebuilt'),
  refreshDeadlineMs: z.number().int().min(100).default(4000).describe("every read of the neurons' buckets in one refresh ends by then"),
  storage: peerEndpointFlagsSchema.default(peerEndpointFlagsSchema.parse({})),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export const dashboardCommand = defineCommand({
  summary: 'serve the dashboard of a local subnet (started by `up`; run it alone to watch a subnet again)',
  schema: dashboardSchema,
  async run(config, { logger, signal, print }) {
    const dir = resolve(config.dir);
    const record = readSubnetRecord(dir);
    if (!record) throw new CrucibleError('USAGE', `no local subnet in ${dir}; run 'crucible-local up' first`);
    const wallets = [record.owner, ...record.validators, ...record.miners];
    const dashboard = await startDashboard({
      chainEndpoint: `ws://127.0.0.1:${record.chainPort}`,
      netuid: record.netuid,
      blocksPerWindow: record.blocksPerWindow,
      port: config.port,
      refreshMs: config.refreshMs,
      names: new Map(wallets.map((w) => [w.hotkeyAddress, w.name])),
      validatorStateDirs: record.validators.map((v) => join(dir, 'state', v.name)),
      localDir: dir,
      peerReads: { endpointPolicy: endpointPolicyFromFlags(config.storage), refreshDeadlineMs: config.refreshDeadlineMs },
      logger,
    });
    print(`dashboard: ${dashboard.url}`);
    await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
    await dashboard.close();
  },
});
