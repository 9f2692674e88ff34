import { expect, it } from 'vitest';
import * as codec from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(codec).sort()).toMatchInlineSnapshot(`
    [
      "averageSparse",
      "codecConfigSchema",
      "compressTensor",
      "createErrorFeedback",
      "decodeGradient",
      "decodeSignedEnvelope",
      "decodeTensor",
      "decompressTensor",
      "defaultCodecConfig",
      "encodeGradient",
      "encodeSignedEnvelope",
      "maxGradientBytes",
      "numelOf",
      "parseCodecConfig",
      "sparseLoCoStep",
    ]
  `);
});
