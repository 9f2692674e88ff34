#!/usr/bin/env node
import { CrucibleError, defineCommand, runCliMain } from '@crucible/core';
import { validatorConfigSchema } from './config.js';

const notYet = async () => {
  throw new CrucibleError('INTERNAL', 'the validator loop is not built yet (see the project issues); only --help and --print-config work');
};

runCliMain({
  name: 'crucible-validator',
  description: 'score miners with the Gauntlet, keep OpenSkill ratings, set weights, and publish the global model when top-staked',
  commands: {
    default: defineCommand({ summary: 'run the validator', schema: validatorConfigSchema, run: notYet }),
    worker: defineCommand({ summary: 'run BullMQ evaluation workers only', schema: validatorConfigSchema, run: notYet }),
  },
});
