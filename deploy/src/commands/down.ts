import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineCommand, loggingSchema } from '@crucible/core';
import { stopPid } from '../services/childProcess.js';
import { readLocalState, stateFile } from './localState.js';

export const downSchema = z.strictObject({
  dir: z.string().default('.crucible/local').describe('folder the local subnet was started in'),
  logging: loggingSchema.default(loggingSchema.parse({})),
});

export const downCommand = defineCommand({
  summary: 'stop everything `up` started (chain data, wallets, buckets and logs are kept)',
  schema: downSchema,
  async run(config, { print }) {
    const dir = resolve(config.dir);
    const state = readLocalState(dir);
    if (!state) {
      print(`nothing is up in ${dir}`);
      return;
    }
    // The supervisor stops its processes itself (neurons first, services last) and restarts nothing
    // once asked to stop; whatever is still alive after it (a supervisor that was killed) is stopped here.
    if (state.supervisorPid !== undefined) {
      const wasRunning = await stopPid(state.supervisorPid, 120_000);
      print(`${'supervisor'.padEnd(12)} pid ${state.supervisorPid} ${wasRunning ? 'stopped' : 'was not running'}`);
    }
    const after = readLocalState(dir) ?? state;
    for (const p of [...after.processes].reverse()) {
      const wasRunning = p.pid > 0 && (await stopPid(p.pid, 15_000));
      print(`${p.name.padEnd(12)} pid ${p.pid} ${wasRunning ? 'stopped' : 'not running'}`);
    }
    rmSync(stateFile(dir), { force: true });
    print(`data kept in ${dir}; 'crucible-local up --dir ${config.dir}' resumes this subnet, removing the folder starts afresh`);
  },
});
