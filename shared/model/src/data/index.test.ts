import { expect, it } from 'vitest';
import * as api from './index.js';

// The public surface of src/data: a change here is a change to what other packages can rely on.
it('exports exactly the documented names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "ASSIGN_PAGES_DOMAIN",
      "BATCH_SEED_DOMAIN",
      "BYTE_VOCAB_SIZE",
      "Corpus",
      "DEFAULT_CORPUS",
      "DOCUMENT_SEPARATOR",
      "Prng",
      "TOKENIZER_NAMES",
      "TOKENIZER_VOCAB_SIZES",
      "TOKEN_DTYPES",
      "allocTokens",
      "assignPages",
      "batchFromWindows",
      "batchSeed",
      "byteTokenizer",
      "bytesOfTokens",
      "corpusDefaults",
      "corpusFiles",
      "createPrng",
      "createStreamEncoder",
      "createTextChunker",
      "decodeTokens",
      "deriveSeed",
      "dtypeForVocab",
      "dtypeOf",
      "encodeText",
      "isTokenizerName",
      "loadCorpus",
      "loadSotuCorpus",
      "loadTextCorpus",
      "loadTokenizer",
      "planBatch",
      "sampleBatch",
      "seedBytes",
      "sequentialBatches",
      "splitCounts",
      "tokenBytes",
      "tokensFromBytes",
      "trainPageToGlobal",
      "valPageToGlobal",
    ]
  `);
});
