import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { describe, expect, it } from 'vitest';
import { definePallet, weight } from '../runtime/pallet.js';
import { runtimePallets } from '../runtime/pallets.js';
import { buildMetadata } from './buildMetadata.js';
import { describeMetadata, type InterfaceDescription } from './describeMetadata.js';
import { loadReference } from './loadReference.js';

// Generated from shared/reference/subtensor-testnet-spec233.metadata.hex by generateReference.ts.
const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../test-fixtures/reference-interface.json', import.meta.url)), 'utf8'),
) as InterfaceDescription;

function served(bytes: Uint8Array): InterfaceDescription {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata);
  return describeMetadata(registry, metadata.asV14);
}

describe('the devnet metadata against the reference runtime (spec 233)', () => {
  const built = buildMetadata(runtimePallets, loadReference());
  const ours = served(built.v14);

  it('is metadata v14 with the reference signed extensions, in order, with the same types', () => {
    expect(new Metadata(new TypeRegistry(), built.v14).version).toBe(14);
    expect(ours.signedExtensions).toEqual(fixture.signedExtensions);
  });

  it('has the same index for every pallet it implements', () => {
    for (const p of ours.pallets) {
      const ref = fixture.pallets.find((r) => r.name === p.name);
      expect(ref, p.name).toBeDefined();
      expect(p.index, p.name).toBe(ref!.index);
    }
  });

  it('matches every implemented call, storage item, event, error and constant exactly', () => {
    let compared = 0;
    for (const p of ours.pallets) {
      const ref = fixture.pallets.find((r) => r.name === p.name)!;
      for (const kind of ['calls', 'storage', 'events', 'errors', 'constants'] as const) {
        for (const item of p[kind]) {
          const refItem = (ref[kind] as Array<{ name: string }>).find((r) => r.name === item.name);
          expect(item, `${p.name}.${kind}.${item.name}`).toEqual(refItem);
          compared++;
        }
      }
    }
    // System 5 calls, 16 storage items ... : the count guards against silently comparing nothing.
    expect(compared).toBeGreaterThan(80);
  });

  it('implements the calls the subnet and polkadot.js apps need', () => {
    const names = (pallet: string) => ours.pallets.find((p) => p.name === pallet)!.calls.map((c) => c.name);
    expect(names('Balances')).toEqual(expect.arrayContaining(['transfer_allow_death', 'transfer_keep_alive', 'transfer_all']));
    expect(names('Sudo')).toContain('sudo');
    expect(names('Utility')).toEqual(expect.arrayContaining(['batch', 'batch_all']));
    expect(names('Timestamp')).toEqual(['set']);
  });

  it('also serves v15 with the same pallets and outer enums', () => {
    const registry = new TypeRegistry();
    const v15 = new Metadata(registry, built.v15);
    registry.setMetadata(v15);
    expect(v15.version).toBe(15);
    const latest = v15.asLatest;
    expect(latest.pallets.map((p) => p.name.toString())).toEqual(ours.pallets.map((p) => p.name));
    expect(registry.lookup.getSiType(latest.outerEnums.errorType).path.join('::')).toBe('node_subtensor_runtime::RuntimeError');
  });

  it('refuses a declaration that differs from the reference', () => {
    const wrongArgs = definePallet({
      index: 5,
      name: 'Balances',
      calls: [{ index: 3, name: 'transfer_keep_alive', args: [{ name: 'dest', type: 'AccountId32' }, { name: 'value', type: 'u64' }], weight: weight(1), dispatch() {} }],
    });
    expect(() => buildMetadata([wrongArgs], loadReference())).toThrow(/transfer_keep_alive: args/);
    const wrongIndex = definePallet({ index: 6, name: 'Balances' });
    expect(() => buildMetadata([wrongIndex], loadReference())).toThrow(/index 6, reference 5/);
    const unknown = definePallet({ index: 5, name: 'Balances', errors: [{ index: 2, name: 'NotAnError' }] });
    expect(() => buildMetadata([unknown], loadReference())).toThrow(/NotAnError is not in the reference/);
  });
});
