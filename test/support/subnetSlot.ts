import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One whole local subnet at a time on this machine: vitest runs test files in parallel workers, and two
 * subnets (each a chain, S3, Redis and several onnxruntime processes) on two cores make miners miss
 * their window deadlines. Each suite holds this slot from start-up to shutdown. A slot left by a
 * process that died is taken over.
 */
const LOCK = join(tmpdir(), 'crucible-e2e-subnet.lock');

function holderAlive(): boolean {
  try {
    const pid = Number(readFileSync(LOCK, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function acquireSubnetSlot(timeoutMs = 30 * 60_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(LOCK, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive()) {
        rmSync(LOCK, { force: true });
        continue;
      }
    }
    if (Date.now() > deadline) throw new Error(`another local subnet held ${LOCK} for ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
