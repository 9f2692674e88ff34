import { expect, it } from 'vitest';
import * as core from './index.js';

// The public surface of @crucible/core: every package builds on it, so a change here is deliberate.
it('exports exactly this public API', () => {
  expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
    [
      "Counter",
      "CrucibleError",
      "Gauge",
      "Histogram",
      "Registry",
      "blake2b256",
      "chainSchema",
      "coldkeyPasswordEnv",
      "configFields",
      "createLogger",
      "createMetricsRegistry",
      "createWallet",
      "cryptoReady",
      "defineCommand",
      "describeError",
      "errorCodes",
      "expandHome",
      "isCrucibleError",
      "isValidAddress",
      "keypairFromUri",
      "loadColdkey",
      "loadConfig",
      "loadHotkey",
      "loggingSchema",
      "metricsSchema",
      "parseArgs",
      "runCli",
      "runCliIfMain",
      "runCliMain",
      "startMetricsServer",
      "toAddress",
      "toHex",
      "verifySignature",
      "walletFiles",
      "walletSchema",
      "windowOf",
      "windowStartBlock",
    ]
  `);
});
