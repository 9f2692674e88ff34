import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

describe('structured logs', () => {
  it('writes one JSON object per line with bound fields, and filters by level', () => {
    const lines: string[] = [];
    const logger = createLogger({ name: 'miner', level: 'info', format: 'json', write: (l) => lines.push(l) }).child({ window: 7 });
    logger.debug('hidden');
    logger.info('window done', { steps: 15, big: 10n, blob: new Uint8Array(4) });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', name: 'miner', msg: 'window done', window: 7, steps: 15, big: '10', blob: '<4 bytes>' });
  });

  it('writes readable key=value lines for terminals', () => {
    const lines: string[] = [];
    createLogger({ name: 'validator', format: 'pretty', write: (l) => lines.push(l) }).warn('rejected', { reason: 'copy', loss: 3.14159265 });
    expect(lines[0]).toMatch(/WARN {2}validator: rejected reason=copy loss=3.1416$/);
  });
});
