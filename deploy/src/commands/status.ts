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
    const supervised = state.supervisorPid !== undefined && isAlive(state.supervisorPid);
    if (state.supervisorPid !== undefined) print(`  ${'supervisor'.padEnd(12)} pid ${state.supervisorPid} ${supervised ? 'running' : 'STOPPED (crashed processes are not restarted)'}`);
    for (const p of state.processes) {
      const alive = p.pid > 0 && isAlive(p.pid);
      const status = alive ? 'running' : p.status === 'restarting' && supervised ? 'restarting' : 'STOPPED';
      const restarts = p.restarts > 0 ? `  restarts ${p.restarts} (last exit: ${p.lastExit ?? '?'})` : '';
      print(`  ${p.name.padEnd(12)} pid ${p.pid} ${status}${restarts}  log ${p.logFile}`);
    }
    return state.processes.every((p) => p.pid > 0 && isAlive(p.pid)) && (state.supervisorPid === undefined || supervised) ? 0 : 1;
  },
});
