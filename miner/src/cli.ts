import { type CliSpec, defineCommand, runCliIfMain } from '@crucible/core';
import { minerConfigSchema } from './config.js';
import { startMiner } from './startMiner.js';

/** `crucible-miner`, run by the committed launcher bin/crucible-miner.js. */
export const minerCli: CliSpec = {
  name: 'crucible-miner',
  description: 'train the shared model on your assigned data every window and upload signed SparseLoCo updates',
  commands: {
    default: defineCommand({
      summary: 'run the miner',
      details: [
        'The run configuration (model, data, window length, inner steps, codec) comes from the subnet\'s signed',
        'genesis checkpoint, not from flags. The coldkey is needed only with --register; its password is read',
        'from CRUCIBLE_COLDKEY_PASSWORD_<WALLET NAME>. See miner/README.md for the state folder and log lines.',
      ].join('\n'),
      schema: minerConfigSchema,
      async run(config, { logger, signal }) {
        const miner = await startMiner(config, { logger });
        const stop = () => void miner.close();
        signal.addEventListener('abort', stop, { once: true });
        await miner.done;
      },
    }),
  },
};

export default minerCli;
runCliIfMain(import.meta.url, minerCli);
