/**
 * Every queue name and job id the validator uses, built here and nowhere else. Job ids are
 * deterministic, so enqueueing the same evaluation twice (a restarted coordinator, a second
 * coordinator by mistake) is a no-op in BullMQ rather than duplicate work.
 */
export function evaluationQueueName(netuid: number, validatorHotkey: string): string {
  return `crucible-eval-n${netuid}-${validatorHotkey}`;
}

export function evaluationJobId(window: number, minerHotkey: string): string {
  return `w${window}-${minerHotkey}`;
}

export function parseEvaluationJobId(jobId: string): { window: number; minerHotkey: string } | undefined {
  const m = /^w(\d+)-(\w+)$/.exec(jobId);
  return m ? { window: Number(m[1]), minerHotkey: m[2]! } : undefined;
}
