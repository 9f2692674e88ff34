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
      "TOKENIZER_NAMES",
      "TOKENIZER_VOCAB_SIZES",
      "TOKEN_DTYPES",
      "allocTokens",
      "batchFromWindows",
      "byteTokenizer",
      "bytesOfTokens",
      "corpusDefaults",
      "corpusFiles",
      "createPrng",
      "createStreamEncoder",
      "createTextChunker",
      "decodeTokens",
      "deriveSeed",
      "drawPages",
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
