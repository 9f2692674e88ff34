import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createValidatorReportReader, parseScoreLines } from './validatorReports.js';

const verdictsOf = (window: number) => ({
  window,
  verdicts: [
    { status: 'scored', hotkey: 'A', uid: 1, score: 0.25, losses: {} },
    { status: 'rejected', hotkey: 'B', uid: 2, reason: 'copy', detail: 'same as A' },
    { status: 'rejected', hotkey: 'C', uid: 3, reason: 'late', detail: '' },
  ],
});

describe('validator reports read from a validator state folder', () => {
  it('parses scores.jsonl lines and skips a torn last line', () => {
    const text = `${JSON.stringify(verdictsOf(4))}\n${JSON.stringify(verdictsOf(5))}\n{"window":6,"verd`;
    const lines = parseScoreLines(text);
    expect(lines.map((l) => l.window)).toEqual([4, 5]);
    expect(lines[0]!.verdicts).toEqual([
      { hotkey: 'A', status: 'scored', score: 0.25, reason: null },
      { hotkey: 'B', status: 'rejected', score: null, reason: 'copy' },
      { hotkey: 'C', status: 'rejected', score: null, reason: 'late' },
    ]);
  });

  it('gives scores per window, rejections by reason, and the ratings seen at each window', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'crucible-reports-')), 'validator-0');
    mkdirSync(dir);
    const errors: string[] = [];
    const read = createValidatorReportReader([dir, join(dir, 'missing')]);
    expect(await read(errors)).toEqual([{ name: 'validator-0', windows: [] }]);

    writeFileSync(join(dir, 'scores.jsonl'), `${JSON.stringify(verdictsOf(4))}\n`);
    writeFileSync(join(dir, 'ratings.json'), JSON.stringify({ version: 1, lastWindow: 4, miners: [{ hotkey: 'A', mu: 27, sigma: 7.5 }] }));
    const [report] = await read(errors);
    expect(report!.windows).toEqual([
      {
        window: 4,
        rejected: { copy: 1, late: 1 },
        miners: [
          { hotkey: 'A', score: 0.25, mu: 27, sigma: 7.5, verdict: 'scored' },
          { hotkey: 'B', score: null, mu: null, sigma: null, verdict: 'copy' },
          { hotkey: 'C', score: null, mu: null, sigma: null, verdict: 'late' },
        ],
      },
    ]);

    // Window 5's ratings replace the file; window 4 keeps the ratings seen for it.
    writeFileSync(join(dir, 'scores.jsonl'), `${JSON.stringify(verdictsOf(4))}\n${JSON.stringify(verdictsOf(5))}\n`);
    writeFileSync(join(dir, 'ratings.json'), JSON.stringify({ version: 1, lastWindow: 5, miners: [{ hotkey: 'A', mu: 29, sigma: 7 }] }));
    const [later] = await read(errors);
    expect(later!.windows.map((w) => [w.window, w.miners[0]!.mu])).toEqual([
      [4, 27],
      [5, 29],
    ]);
    expect(errors).toEqual([]);

    writeFileSync(join(dir, 'ratings.json'), '{ not json');
    await read(errors);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('validator-0');
  });
});
