#!/usr/bin/env node
import { CrucibleError, defineCommand, runCliMain } from '@crucible/core';
import { minerConfigSchema } from './config.js';

runCliMain({
  name: 'crucible-miner',
  description: 'train the shared model on your assigned data every window and upload signed SparseLoCo updates',
  commands: {
    default: defineCommand({
      summary: 'run the miner',
      schema: minerConfigSchema,
      async run() {
        throw new CrucibleError('INTERNAL', 'the miner loop is not built yet (see the project issues); only --help and --print-config work');
      },
    }),
  },
});
