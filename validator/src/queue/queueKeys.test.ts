import { describe, expect, it } from 'vitest';
import { evaluationJobId, evaluationQueueName, parseEvaluationJobId } from './queueKeys.js';

describe('queue keys', () => {
  it('are stable (other validators\' workers and restarted coordinators rely on them)', () => {
    const hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    expect(evaluationQueueName(3, hotkey)).toMatchInlineSnapshot(`"crucible-eval-n3-5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"`);
    expect(evaluationJobId(42, hotkey)).toMatchInlineSnapshot(`"w42-5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"`);
    expect(parseEvaluationJobId(evaluationJobId(42, hotkey))).toEqual({ window: 42, minerHotkey: hotkey });
    expect(parseEvaluationJobId('nonsense')).toBeUndefined();
  });
});
