import { expect, it } from 'vitest';
import * as deploy from './index.js';

// What other packages and the end-to-end suites may use to bring up services and subnets.
it('exposes exactly this public API', () => {
  expect(Object.keys(deploy).sort()).toMatchInlineSnapshot(`
    [
      "freePort",
      "startDashboard",
      "startDevnetProcess",
      "startLocalServices",
      "startLocalSubnet",
      "startRedis",
      "startS3Server",
    ]
  `);
});
