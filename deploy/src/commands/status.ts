import { resolve } from 'node:path';
import { z } from 'zod';
import { defineCommand } from '@crucible/core';
import { isAlive, readLocalState } from './localState.js';

export const statusSchema = z.strictObject({
  dir: z.string().default('.crucible/local').describe('folder the local subnet was started in'),
});

export const statusCommand = defineCommand({
  summary: 'show what the local subnet runs and where it listens',
  schema: statusSchema,
  async run(config, { print }) {
    const state = readLocalState(resolve(config.dir));
    if (!state) {
      print(`nothing is up in ${resolve(config.dir)}`);
      return 1;
    }
    print(`started ${state.startedAt} in ${state.dir}`);
    for (const [name, url] of Object.entries(state.endpoints)) print(`  ${name.padEnd(12)} ${url}`);
    for (const p of state.processes) print(`  ${p.name.padEnd(12)} pid ${p.pid} ${isAlive(p.pid) ? 'running' : 'STOPPED'}  log ${p.logFile}`);
    return state.processes.every((p) => isAlive(p.pid)) ? 0 : 1;
  },
});
