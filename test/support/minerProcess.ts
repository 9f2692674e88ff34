import { ensureCommitment, type ChainClient } from '@crucible/chain';
import type { Keypair } from '@crucible/core';
import { encodeBucketPointer, type BucketPointer } from '@crucible/storage';

/**
 * What the suites' stand-in miner processes (test/adversarial/cheater, test/hostile) share: reading the
 * standard miner flags crucible-local passes them (and their own), and committing a bucket pointer.
 */
export function minerFlags(argv: readonly string[]): { get(name: string): string | undefined; need(name: string): string } {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.set(a.slice(2), next);
      i++;
    } else out.set(a.slice(2), 'true');
  }
  return {
    get: (name) => out.get(name),
    need: (name) => {
      const v = out.get(name);
      if (v === undefined) throw new Error(`missing --${name}`);
      return v;
    },
  };
}

/** Commits `pointer` for `hotkey`, retrying while the chain is still starting (a local subnet's first blocks). */
export async function commitPointer(client: ChainClient, hotkey: Keypair, netuid: number, pointer: BucketPointer): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ensureCommitment(client, hotkey, netuid, encodeBucketPointer(pointer));
      return;
    } catch (error) {
      if (attempt > 20) throw error;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
