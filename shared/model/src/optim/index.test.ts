import { expect, it } from 'vitest';
import * as api from './index.js';

// The public surface of src/optim: a change here is a change to what other packages can rely on.
it('exports exactly the documented names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "ADAMW_STATE_KIND",
      "AdamW",
      "adamWDefaults",
      "cosineSchedule",
      "decaysWeight",
      "decodeAdamWState",
      "emitAdamW",
      "encodeAdamWState",
      "encodeAdamWStateParts",
      "globalGradNorm",
    ]
  `);
});
