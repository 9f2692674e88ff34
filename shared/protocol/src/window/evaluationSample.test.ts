import { describe, expect, it } from 'vitest';
import { Corpus } from '@crucible/model';
import { testRunConfig } from '../run/testRun.js';
import { evaluationPages, evaluationSample } from './evaluationSample.js';
import { windowPlan } from './windowPlan.js';

const corpus = new Corpus(Uint8Array.from({ length: 64 * 60 }, (_, i) => (i * 7) % 251), 'synthetic', { pageSize: 64, valEvery: 20 });
const run = testRunConfig({ corpus: { source: 'synthetic', pageSize: 64, valEvery: 20, trainPages: corpus.trainPageCount } });
const plan = windowPlan(run, { genesisHash: `0x${'01'.repeat(32)}`, window: 9, windowBlockHash: `0x${'02'.repeat(32)}` });
const input = { windowSeed: plan.seed, evaluationSeed: `0x${'03'.repeat(32)}`, window: 9, hotkey: 'miner-a' } as const;

describe('the evaluation sample of one update', async () => {
  const sample = await evaluationSample(corpus, run, input);

  it('draws own sequences from exactly the miner\'s assigned pages', () => {
    expect(sample.ownPages).toEqual(plan.pagesOf('miner-a'));
    expect(sample.own.inputs.length).toBe(run.evaluation.sequences * run.model.blockSize);
  });

  it('draws random sequences from pages the miner was not assigned', () => {
    expect(sample.randomPages).toHaveLength(run.evaluation.randomPages);
    expect(sample.randomPages.some((p) => sample.ownPages.includes(p))).toBe(false);
  });

  it('is reproducible from the seeds, and another evaluation seed draws other data', async () => {
    expect(await evaluationSample(corpus, run, input)).toEqual(sample);
    const other = await evaluationSample(corpus, run, { ...input, evaluationSeed: `0x${'04'.repeat(32)}` });
    expect(other.random.inputs).not.toEqual(sample.random.inputs);
  });

  it('names its pages before any data is read (evaluationPages), so a validator can fetch just those', () => {
    expect(evaluationPages(run, input)).toEqual({ ownPages: sample.ownPages, randomPages: sample.randomPages });
  });

  it('draws the same batches from a source whose batches are asynchronous (a dataset reader)', async () => {
    const asynchronous = { trainBatch: async (...args: Parameters<Corpus['trainBatch']>) => corpus.trainBatch(...args) };
    expect(await evaluationSample(asynchronous, run, input)).toEqual(sample);
  });
});
