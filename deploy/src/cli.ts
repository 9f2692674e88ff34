import { type CliSpec, runCliIfMain } from '@crucible/core';
import { dashboardCommand } from './commands/dashboard.js';
import { downCommand } from './commands/down.js';
import { statusCommand } from './commands/status.js';
import { superviseCommand, upCommand } from './commands/up.js';
import { walletCreateCommand } from './commands/walletCreate.js';

export const crucibleLocalCli: CliSpec = {
  name: 'crucible-local',
  description: 'run a whole Crucible subnet on this machine',
  commands: {
    up: upCommand,
    down: downCommand,
    status: statusCommand,
    supervise: superviseCommand,
    dashboard: dashboardCommand,
    'wallet-create': walletCreateCommand,
  },
};

export default crucibleLocalCli;
runCliIfMain(import.meta.url, crucibleLocalCli);
