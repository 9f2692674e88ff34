import { Keyring } from '@polkadot/keyring';
import { describe, expect, it } from 'vitest';
import { bytesOf } from './codecs.js';
import { definePallet } from './pallet.js';
import { runtimePallets } from './pallets.js';
import { customInvalidTx } from './validity.js';
import { sendInBlock, startTestDevnet } from '../testing/testDevnet.js';

describe("a pallet's signed extension (validateSigned)", () => {
  it('refuses a transaction in the pool with InvalidTransaction::Custom and lets others through', async () => {
    const guarded = definePallet({
      ...runtimePallets.find((p) => p.name === 'System')!,
      validateSigned(_ctx, _who, call) {
        if (call.name === 'remark' && new TextDecoder().decode(bytesOf(call.args['remark'])) === 'nope') throw customInvalidTx(7);
      },
    });
    const t = await startTestDevnet({ pallets: runtimePallets.map((p) => (p.name === 'System' ? guarded : p)) });
    try {
      const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
      await expect(sendInBlock(t.api.tx.system.remark('nope'), alice)).rejects.toThrow('1010: Invalid Transaction: Custom error: 7');
      const ok = await sendInBlock(t.api.tx.system.remark('fine'), alice);
      expect(ok.events.at(-1)).toBe('system.ExtrinsicSuccess');
    } finally {
      await t.close();
    }
  });
});
