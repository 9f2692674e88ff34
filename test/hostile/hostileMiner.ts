import { connectChain } from '@crucible/chain';
import { cryptoReady, loadHotkey } from '@crucible/core';
import { commitPointer, minerFlags } from '../support/minerProcess.js';

/**
 * A hostile miner of the hostile-storage suite: a registered hotkey that commits a bucket pointer at
 * an endpoint it controls (`--hostile.endpoint`, path-style bucket `--hostile.bucket`, which selects
 * the hostile server's behaviour) and then does nothing else: everything it does to a validator, its
 * endpoint does. It takes the standard miner flags that crucible-local passes and ignores the rest.
 * Test-only code.
 */
const { need, get } = minerFlags(process.argv.slice(2));
await cryptoReady();
const hotkey = await loadHotkey({ path: need('wallet.path'), name: need('wallet.name'), hotkey: get('wallet.hotkey') ?? 'default' });
const netuid = Number(need('netuid'));
const client = await connectChain({ endpoint: need('chain.endpoint') });
const pointer = { kind: 's3' as const, endpoint: need('hostile.endpoint'), region: 'us-east-1', bucket: need('hostile.bucket'), accessKeyId: 'hostile', secretAccessKey: 'hostile-secret' };
await commitPointer(client, hotkey, netuid, pointer);
process.stdout.write(`${JSON.stringify({ msg: 'hostile pointer committed', hotkey: hotkey.address, endpoint: pointer.endpoint, bucket: pointer.bucket })}\n`);
const stop = async () => {
  await client.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setInterval(() => undefined, 60_000);
