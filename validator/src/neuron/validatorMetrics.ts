import { Counter, Gauge, Histogram, Registry } from '@crucible/core';

/** The validator's Prometheus metrics (`crucible_validator_*`). */
export function createValidatorMetrics(registry: Registry) {
  const p = 'crucible_validator_';
  return {
    registry,
    window: new Gauge({ name: `${p}window`, help: 'last window whose uploads were rated', registers: [registry] }),
    minersSeen: new Gauge({ name: `${p}miners_seen`, help: 'miners considered in the last rated window', registers: [registry] }),
    evaluated: new Counter({ name: `${p}evaluated_total`, help: 'updates scored', registers: [registry] }),
    rejected: new Counter({ name: `${p}rejected_total`, help: 'updates rejected, by reason', labelNames: ['reason'], registers: [registry] }),
    weightsSet: new Counter({ name: `${p}weights_set_total`, help: 'set_weights attempts, by outcome', labelNames: ['status'], registers: [registry] }),
    checkpoints: new Counter({ name: `${p}checkpoints_published_total`, help: 'checkpoints this validator aggregated and published', registers: [registry] }),
    collectSeconds: new Histogram({ name: `${p}collect_seconds`, help: 'time from seeing a window\'s deadline block to the end of its collection', buckets: [1, 2, 5, 10, 20, 30, 60, 120], registers: [registry] }),
    windowSeconds: new Histogram({ name: `${p}window_seconds`, help: 'time to rate one window', buckets: [1, 2, 5, 10, 30, 60, 120, 300], registers: [registry] }),
  };
}
export type ValidatorMetrics = ReturnType<typeof createValidatorMetrics>;
