import { afterAll, afterEach, beforeAll } from 'vitest';
import { startLocalSubnet, type LocalSubnet, type LocalSubnetOptions } from '@crucible/deploy';
import { acquireSubnetSlot } from './subnetSlot.js';
import { tempSubnetDir } from './tempSubnetDir.js';

/**
 * Registers, in the calling describe block, a whole local subnet for its tests: it waits for the
 * machine's one subnet slot, starts the subnet on free ports in a fresh folder, and at the end stops
 * it, frees the slot and deletes the folder, unless a test failed (then the folder and its logs stay).
 */
export function localSubnetSuite(name: string, options: Omit<LocalSubnetOptions, 'dir'>): { readonly subnet: LocalSubnet } {
  const folder = tempSubnetDir(name);
  let subnet: LocalSubnet | undefined;
  let failed = false;
  let releaseSlot: (() => void) | undefined;

  beforeAll(async () => {
    releaseSlot = await acquireSubnetSlot();
    subnet = await startLocalSubnet({ dir: folder.dir, chainPort: 0, redisPort: 0, s3Port: 0, dashboardPort: 0, ...options });
  }, 35 * 60_000);

  afterEach(({ task }) => {
    if (task.result?.state === 'fail') failed = true;
  });

  afterAll(async () => {
    await subnet?.close();
    releaseSlot?.();
    folder.cleanup(failed);
  }, 120_000);

  return {
    get subnet(): LocalSubnet {
      if (subnet === undefined) throw new Error(`the ${name} suite's local subnet did not start`);
      return subnet;
    },
  };
}
