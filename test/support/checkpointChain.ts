import type { DashboardCheckpoint } from '@crucible/deploy';

/**
 * Checks that published checkpoints form one chain: one per window, windows increasing, each parent the
 * checkpoint before it. Returns the problems found (empty: a single unforked chain).
 */
export function chainProblems(checkpoints: readonly DashboardCheckpoint[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < checkpoints.length; i++) {
    const prev = checkpoints[i - 1]!;
    const c = checkpoints[i]!;
    if (c.window <= prev.window) problems.push(`window ${c.window} follows ${prev.window}`);
    if (c.parentWindow !== prev.window) problems.push(`checkpoint ${c.window} has parent ${c.parentWindow}, expected ${prev.window}`);
  }
  return problems;
}
