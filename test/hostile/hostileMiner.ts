import { connectChain, ensureCommitment } from '@crucible/chain';
import { cryptoReady, loadHotkey } from '@crucible/core';
import { encodeBucketPointer } from '@crucible/storage';

/**
 * A hostile miner of the hostile-storage suite: a registered hotkey that commits a bucket pointer at
 * an endpoint it controls (`--hostile.endpoint`, path-style bucket `--hostile.bucket`, which selects
 * the hostile server's behaviour) and then does nothing else: everything it does to a validator, its
 * endpoint does. It takes the standard miner flags that crucible-local passes and ignores the rest.
 * Test-only code.
 */
function flags(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) out.set(a.slice(2), next), i++;
    else out.set(a.slice(2), 'true');
  }
  return out;
}

const f = flags(process.argv.slice(2));
const need = (k: string) => {
  const v = f.get(k);
  if (v === undefined) throw new Error(`missing --${k}`);
  return v;
};
await cryptoReady();
const hotkey = await loadHotkey({ path: need('wallet.path'), name: need('wallet.name'), hotkey: f.get('wallet.hotkey') ?? 'default' });
const netuid = Number(need('netuid'));
const client = await connectChain({ endpoint: need('chain.endpoint') });
const pointer = { kind: 's3' as const, endpoint: need('hostile.endpoint'), region: 'us-east-1', bucket: need('hostile.bucket'), accessKeyId: 'hostile', secretAccessKey: 'hostile-secret' };
for (let attempt = 0; ; attempt++) {
  try {
    await ensureCommitment(client, hotkey, netuid, encodeBucketPointer(pointer));
    break;
  } catch (error) {
    if (attempt > 20) throw error;
    await new Promise((r) => setTimeout(r, 2000));
  }
}
process.stdout.write(`${JSON.stringify({ msg: 'hostile pointer committed', hotkey: hotkey.address, endpoint: pointer.endpoint, bucket: pointer.bucket })}\n`);
const stop = async () => {
  await client.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setInterval(() => undefined, 60_000);
