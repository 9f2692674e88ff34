import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder for one suite's local subnet; kept when the suite failed so its logs can be read. */
export function tempSubnetDir(name: string): { dir: string; cleanup(failed: boolean): void } {
  const dir = mkdtempSync(join(tmpdir(), `crucible-e2e-${name}-`));
  return {
    dir,
    cleanup(failed) {
      if (failed || process.env.CRUCIBLE_KEEP_E2E_DIRS === '1') {
        console.log(`local subnet folder kept: ${dir} (logs in ${dir}/logs)`);
        return;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
