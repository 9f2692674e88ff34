import { type CliSpec, cryptoReady, defineCommand, expandHome, loadHotkey, runCliIfMain } from '@crucible/core';
import { connectChain } from '@crucible/chain';
import { createGenesis, genesisRunConfig } from './aggregate/genesis.js';
import { genesisConfigSchema, replayConfigSchema, validatorConfigSchema } from './config.js';
import { openOwnStore } from './neuron/bucket.js';
import { startEvaluationWorkers } from './queue/evaluationQueue.js';
import { evaluationQueueName } from './queue/queueKeys.js';
import { replayWindow } from './replayWindow.js';
import { evaluationDataSettings, loadValidatorHotkey, startValidator } from './startValidator.js';

const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/** `crucible-validator`, run by the committed launcher bin/crucible-validator.js. */
export const validatorCli: CliSpec = {
  name: 'crucible-validator',
  description: 'score miners with the Gauntlet, keep OpenSkill ratings, set weights, and publish the global model when top-staked',
  commands: {
    default: defineCommand({
      summary: 'run the validator (window loop, in-process evaluation workers, aggregation when top-staked)',
      schema: validatorConfigSchema,
      run: async (config, { logger, signal }) => {
        const handle = await startValidator(config, { logger });
        await untilAborted(signal);
        await handle.close();
      },
    }),
    worker: defineCommand({
      summary: 'run BullMQ evaluation workers only (any machine that reaches the same Redis and storage)',
      details: 'The queue is named after --netuid and the wallet hotkey of the validator it serves; --workers sets the concurrency (at least 1).',
      schema: validatorConfigSchema,
      run: async (config, { logger, signal }) => {
        const hotkey = await loadValidatorHotkey(config, {});
        const queueName = evaluationQueueName(config.netuid, hotkey.address);
        const workers = await startEvaluationWorkers({
          redisUrl: config.redis.url,
          prefix: config.redis.prefix,
          queueName,
          concurrency: Math.max(1, config.workers),
          stalledIntervalMs: config.evaluation.stalledIntervalMs,
          lockDurationMs: config.evaluation.lockDurationMs,
          data: evaluationDataSettings(config),
          logger,
        });
        logger.info('evaluation workers running', { queue: queueName, concurrency: Math.max(1, config.workers) });
        await untilAborted(signal);
        await workers.close();
      },
    }),
    replay: defineCommand({
      summary: 'recompute a window\'s scores from public objects and chain state and print them',
      schema: replayConfigSchema,
      run: async (config, { logger, print }) => {
        const result = await replayWindow(config, config.window, { logger, ...(config.validatorHotkey ? { validatorHotkey: config.validatorHotkey } : {}) });
        for (const v of result.verdicts) print(JSON.stringify(v));
        if (result.identical !== undefined) print(JSON.stringify({ window: result.window, identicalToRecorded: result.identical }));
        return result.identical === false ? 1 : 0;
      },
    }),
    genesis: defineCommand({
      summary: 'subnet owner: create the genesis checkpoint, publish it to the owner\'s bucket and commit the bucket pointer',
      schema: genesisConfigSchema,
      run: async (config, { logger, print }) => {
        await cryptoReady();
        const owner = await loadHotkey({ path: expandHome(config.wallet.path), name: config.wallet.name, hotkey: config.wallet.hotkey });
        const client = await connectChain({ endpoint: config.chain.endpoint, logger });
        const { store, pointer } = await openOwnStore(config.storage);
        try {
          const run = await genesisRunConfig(config, logger);
          const published = await createGenesis({ client, netuid: config.netuid, owner, store, pointer, run, commit: config.commit, logger });
          const dataset = run.dataset ? { name: run.dataset.name, manifestHash: run.dataset.manifestHash, trainPages: run.corpus.trainPages } : null;
          print(JSON.stringify({ window: published.manifest.window, paramsHash: published.manifest.paramsHash, manifestKey: published.manifestKey, bytes: published.bytes, dataset }));
        } finally {
          store.close();
          await client.close();
        }
      },
    }),
  },
};

export default validatorCli;
runCliIfMain(import.meta.url, validatorCli);
