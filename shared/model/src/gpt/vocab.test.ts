import { afterAll, describe, expect, it } from 'vitest';
import { compareArrays, testRandom } from '../onnx/gradcheck.js';
import { GptSession } from '../session/gptSession.js';
import { decodeCheckpoint, encodeCheckpoint, hashCheckpoint } from './checkpoint.js';
import { presets, presetTokenizers, validateConfig, vocabSizeOf, type GptConfig } from './config.js';
import { initParams } from './init.js';
import { paramCount, paramTable, type GptParams } from './params.js';
import { referenceForward } from './reference.js';
import { TOKENIZER_VOCAB_SIZES } from '../data/tokenizers.js';
import { Corpus } from '../data/corpus.js';
import { trainOnCorpus } from '../train/trainOnCorpus.js';

// The vocabulary size follows the tokenizer: a model over ids wider than a byte has a (V, C) token
// embedding, (B,T,V) logits, and graphs that agree with the reference for ids above 255.
const config: GptConfig = { nLayer: 1, nEmbd: 8, nHead: 2, blockSize: 4, vocabSize: 1000 };
const B = 2;
const tokens = [3, 999, 300, 300, 256, 7, 998, 512];
const targets = [999, 300, 300, 256, 7, 998, 512, 0];

describe('model vocabulary size', () => {
  const sessions: GptSession[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.close();
  });

  it('defaults to the byte vocabulary and keeps byte-level configs free of the field', () => {
    expect(vocabSizeOf(presets.tiny)).toBe(256);
    expect(validateConfig({ ...presets.tiny, vocabSize: 256 })).toEqual(presets.tiny);
    expect(validateConfig(config)).toEqual(config);
    expect(() => validateConfig({ ...presets.tiny, vocabSize: 1 })).toThrow(/vocabSize must be an integer/);
    expect(paramTable(config)[0]).toEqual({ name: 'wte.weight', shape: [1000, 8] });
  });

  it('has presets that say which tokenizer their vocabulary belongs to', () => {
    for (const [name, tokenizer] of Object.entries(presetTokenizers)) {
      expect(vocabSizeOf(presets[name as keyof typeof presets]), name).toBe(TOKENIZER_VOCAB_SIZES[tokenizer]);
    }
    expect(paramCount(presets['tiny-gpt2']) - paramCount(presets.tiny)).toBe((50257 - 256) * 96);
  });

  it('stores byte-level checkpoints exactly as before and round-trips a wide vocabulary', () => {
    const params = initParams(presets.tiny, 1);
    const plain = { config: presets.tiny, params, metadata: {} };
    expect(hashCheckpoint({ ...plain, config: { ...presets.tiny, vocabSize: 256 } })).toBe(hashCheckpoint(plain));
    const wide = { config, params: initParams(config, 1), metadata: { step: '3' } };
    const back = decodeCheckpoint(encodeCheckpoint(wide));
    expect(back.config).toEqual(config);
    expect(back.params.get('wte.weight')!.length).toBe(8000);
  });

  it('eval, logits and train graphs agree with the reference for ids above 255', async () => {
    const rand = testRandom(9);
    const params: GptParams = new Map(
      paramTable(config).map((p) => [p.name, Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => (/ln_/.test(p.name) && p.name.endsWith('weight') ? 1 : 0) + 0.3 * rand())]),
    );
    const ref = referenceForward(config, params, tokens, targets, B);
    const gs = await GptSession.create({ config, batch: B });
    sessions.push(gs);
    const seq = compareArrays('sequence loss', await gs.sequenceLoss(params, { tokens, targets }), ref.sequenceLoss, 1e-5, 0);
    expect(seq.ok, seq.report).toBe(true);
    const logits = await gs.logits(params, tokens);
    expect(logits.length).toBe(B * config.blockSize * 1000);
    const cmp = compareArrays('logits', logits, ref.logits, 1e-4, 1e-5);
    expect(cmp.ok, cmp.report).toBe(true);
    const { loss, grads } = await gs.trainStep(params, { tokens, targets });
    expect(Math.abs(loss - ref.loss)).toBeLessThan(1e-5);
    // The (V, C) embedding gradient covers every id, including those above 255.
    expect(grads[0]!.length).toBe(8000);
    expect(grads[0]!.subarray(300 * 8, 301 * 8).some((g) => g !== 0)).toBe(true);
  });

  it('refuses ids outside the vocabulary', async () => {
    const gs = await GptSession.create({ config, batch: B, graphs: ['eval'] });
    sessions.push(gs);
    const params = initParams(config, 0);
    await expect(gs.sequenceLoss(params, { tokens: tokens.map((t) => (t === 999 ? 1000 : t)), targets })).rejects.toThrow(/outside the vocabulary \[0, 1000\)/);
  });

  it('trains on a corpus of 16-bit ids: validation loss falls', async () => {
    // A cyclic stream over ids 250..749, so every window is predictable and crosses the byte range.
    const tokens = Uint16Array.from({ length: 8192 }, (_, i) => 250 + ((i * 7) % 500));
    const corpus = new Corpus(tokens, 'cycle', { pageSize: 256, valEvery: 4 });
    const small: GptConfig = { nLayer: 1, nEmbd: 16, nHead: 2, blockSize: 8, vocabSize: 1000 };
    const result = await trainOnCorpus({ config: small, params: initParams(small, 3), corpus, steps: 200, batch: 8, maxLr: 3e-2, warmupSteps: 10 });
    expect(result.valLossBefore).toBeGreaterThan(Math.log(1000) - 0.5);
    // Measured 6.91 → 0.30; the best unigram guess over the 500 ids would be ln 500 ≈ 6.2.
    expect(result.valLossAfter).toBeLessThan(2);
  });
});
