#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runCliMain, type CliSpec } from '@crucible/core';
import { dashboardCommand } from './commands/dashboard.js';
import { downCommand } from './commands/down.js';
import { statusCommand } from './commands/status.js';
import { upCommand } from './commands/up.js';
import { walletCreateCommand } from './commands/walletCreate.js';

export const crucibleLocalCli: CliSpec = {
  name: 'crucible-local',
  description: 'run a whole Crucible subnet on this machine',
  commands: {
    up: upCommand,
    down: downCommand,
    status: statusCommand,
    dashboard: dashboardCommand,
    'wallet-create': walletCreateCommand,
  },
};

// Run when executed (directly or through npm's bin symlink), not when imported by a test.
const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(realpathSync(invoked)).href) runCliMain(crucibleLocalCli);
