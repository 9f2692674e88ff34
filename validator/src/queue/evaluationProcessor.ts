/**
 * The BullMQ sandboxed processor: runs in its own process (forked by the worker), so onnxruntime's CPU
 * work never blocks the event loop that renews job locks. One Evaluator per process keeps the session,
 * the run's text and base checkpoints between jobs. The worker passes where dataset pages are cached in
 * the fork's environment (evaluationDataEnv); each process claims a cache folder of its own under it.
 */
import { env } from 'node:process';
import { CrucibleError } from '@crucible/core';
import { RunDataHolder } from '@crucible/data';
import { evaluationJobSchema, type EvaluationResult } from './evaluationJob.js';
import { evaluationDataOptions } from './evaluationData.js';
import { Evaluator } from './evaluator.js';

const evaluator = new Evaluator({ data: new RunDataHolder(evaluationDataOptions(env)) });

export default async function process(job: { name: string; data: unknown }): Promise<EvaluationResult | { warm: true }> {
  // Starting a processor (loading onnxruntime and the model code) takes seconds; a warm-up job at
  // validator start pays it before the first window's deadline does.
  if (job.name === 'warmup') return { warm: true };
  const data = evaluationJobSchema.parse(job.data);
  // Jobs are bounded by their window: a result after the deadline would be ignored anyway.
  if (Date.now() > data.deadline) throw new CrucibleError('TIMEOUT', `past the deadline of window ${data.window}'s evaluation`, { details: { window: data.window } });
  return evaluator.evaluate(data);
}
