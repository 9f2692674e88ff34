import { expect, it } from 'vitest';
import * as codec from './index.js';

it('exposes exactly this public API', () => {
  expect(Object.keys(codec).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_MAX_ENVELOPE_BYTES",
      "DEFAULT_MAX_HEADER_BYTES",
      "ENVELOPE_MAGIC",
      "GRADIENT_FORMAT_VERSION",
      "averageSparse",
      "chunkLayout",
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
      "envelopeKinds",
      "gradientHeaderSchema",
      "maxGradientBytes",
      "numelOf",
      "parseCodecConfig",
      "quantize",
      "sparseLoCoStep",
      "toDense",
      "wireErrorReasons",
    ]
  `);
});
