/**
 * A stand-alone evaluation worker process for tests (what `crucible-validator worker` runs), configured
 * by environment: CRUCIBLE_TEST_REDIS_URL, CRUCIBLE_TEST_PREFIX, CRUCIBLE_TEST_QUEUE.
 */
import { startEvaluationWorkers } from '../queue/evaluationQueue.js';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

await startEvaluationWorkers({
  redisUrl: env('CRUCIBLE_TEST_REDIS_URL'),
  prefix: env('CRUCIBLE_TEST_PREFIX'),
  queueName: env('CRUCIBLE_TEST_QUEUE'),
  concurrency: 1,
  stalledIntervalMs: 1000,
  lockDurationMs: 3000,
});
process.stdout.write('ready\n');
