import { Counter, createMetricsRegistry, Gauge, type Registry } from '@crucible/core';

/** The progress line's figures as Prometheus metrics (prefix `crucible_miner_`). */
export function createMinerMetrics(registry: Registry = createMetricsRegistry('crucible_miner')) {
  const gauge = (name: string, help: string) => new Gauge({ name: `crucible_miner_${name}`, help, registers: [registry] });
  return {
    registry,
    window: gauge('window', 'last window processed'),
    innerSteps: gauge('inner_steps', 'inner steps run in the last window'),
    lossFirst: gauge('loss_first', 'training loss of the first inner step of the last window (nats)'),
    lossLast: gauge('loss_last', 'training loss of the last inner step of the last window (nats)'),
    tokensPerSecond: gauge('tokens_per_second', 'training throughput in the last window'),
    uploadBytes: gauge('upload_bytes', 'size of the last uploaded update'),
    uploadSeconds: gauge('upload_seconds', 'time the last upload took'),
    lagBlocks: gauge('lag_blocks', 'blocks between the window start and the chain head when the window was picked up'),
    baseLagWindows: gauge('base_lag_windows', 'windows between the trained window and its base checkpoint'),
    phaseSeconds: new Gauge({ name: 'crucible_miner_phase_seconds', help: 'time of each phase of the last window', labelNames: ['phase'], registers: [registry] }),
    registered: gauge('registered', '1 while the hotkey is registered on the subnet'),
    checkpointWindow: gauge('checkpoint_window', 'window of the newest verified checkpoint held'),
    windows: new Counter({ name: 'crucible_miner_windows_total', help: 'windows by outcome', labelNames: ['outcome'], registers: [registry] }),
    checkpointsRefused: new Counter({ name: 'crucible_miner_checkpoints_refused_total', help: 'checkpoints refused by the follower', registers: [registry] }),
  };
}

export type MinerMetrics = ReturnType<typeof createMinerMetrics>;
