import { describe, expect, it } from 'vitest';
import { presets } from '../gpt/config.js';
import { initParams } from '../gpt/init.js';
import { loadCorpus } from '../data/index.js';
import { bitsPerByte } from './bits.js';
import { trainOnCorpus } from './trainOnCorpus.js';

// The unigram (byte-frequency) entropy of English text is about 4.5 bits per byte. The tiny preset,
// trained for 600 steps of 16×64 bytes on the default corpus (peak lr 3e-3, 20 warmup steps, cosine),
// must reach less than 3.0 bits per byte of validation loss (measured: ≈ 2.7), starting from ≈ 8 bits
// (ln 256 nats) at initialisation. It took 85–95 s here on a machine shared with other jobs.
const THRESHOLD_BITS = 3.0;

describe('training the tiny preset on the default corpus', () => {
  it(`drops validation loss below ${THRESHOLD_BITS} bits per byte within 600 steps`, async () => {
    const config = presets.tiny;
    const corpus = await loadCorpus();
    const result = await trainOnCorpus({ config, params: initParams(config, 1), corpus, steps: 600, batch: 16, threads: 2, maxLr: 3e-3, warmupSteps: 20 });
    const before = bitsPerByte(result.valLossBefore);
    const after = bitsPerByte(result.valLossAfter);
    console.log(`validation: ${before.toFixed(3)} → ${after.toFixed(3)} bits/byte`);
    expect(before).toBeGreaterThan(7.5);
    expect(after).toBeLessThan(THRESHOLD_BITS);
  }, 180_000);
});
