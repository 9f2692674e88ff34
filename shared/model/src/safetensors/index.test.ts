import { expect, it } from 'vitest';
import * as api from './index.js';

// The public surface of src/safetensors: a change here is a change to what other packages can rely on.
it('exports exactly the documented names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "CONFIG_METADATA_KEY",
      "canonicalCheckpointEncoding",
      "checkpointHash",
      "checkpointMetadata",
      "compareNames",
      "configFromMetadata",
      "decodeSafetensors",
      "dtypeBytes",
      "encodeSafetensors",
      "encodeSafetensorsParts",
      "halfToFloat",
      "readSafetensorsFile",
      "readableDtypes",
      "writeSafetensorsFile",
    ]
  `);
});
