import { expect, it } from 'vitest';
import * as api from './index.js';

// The public surface of src/data: a change here is a change to what other packages can rely on.
it('exports exactly the documented names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "BYTE_VOCAB_SIZE",
      "Corpus",
      "DEFAULT_CORPUS",
      "DOCUMENT_SEPARATOR",
      "Prng",
      "batchFromWindows",
      "corpusDefaults",
      "createPrng",
      "decodeTokens",
      "deriveSeed",
      "drawPages",
      "encodeText",
      "loadCorpus",
      "loadSotuCorpus",
      "loadTextCorpus",
      "sampleBatch",
      "seedBytes",
      "sequentialBatches",
    ]
  `);
});
