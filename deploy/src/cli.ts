#!/usr/bin/env node
import { runCliMain } from '@crucible/core';
import { dashboardCommand } from './commands/dashboard.js';
import { downCommand } from './commands/down.js';
import { statusCommand } from './commands/status.js';
import { upCommand } from './commands/up.js';
import { walletCreateCommand } from './commands/walletCreate.js';

runCliMain({
  name: 'crucible-local',
  description: 'run a whole Crucible subnet on this machine',
  commands: {
    up: upCommand,
    down: downCommand,
    status: statusCommand,
    dashboard: dashboardCommand,
    'wallet-create': walletCreateCommand,
  },
});
