import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { definePallet, weight } from '../runtime/pallet.js';
import { runtimePallets } from '../runtime/pallets.js';
import { servedApis } from '../runtimeApis/index.js';
import { buildMetadata, type BuiltMetadata } from './buildMetadata.js';
import { describeMetadata, type InterfaceDescription, type ItemDescription } from './describeMetadata.js';
import { loadReference, referencePath } from './loadReference.js';
import { currentUnservedMarkdown } from './printUnserved.js';
import { UNSERVED_BEGIN, UNSERVED_END } from './unserved.js';

function describeBytes(bytes: Uint8Array): InterfaceDescription {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata, undefined, undefined, true);
  return describeMetadata(registry, metadata);
}

/** The reference fixture described as version `v` would carry it (older versions lack some fields). */
function asVersion(reference: InterfaceDescription, v: number): InterfaceDescription {
  const strip = (item: ItemDescription): ItemDescription => {
    if (v >= 16) return item;
    const { deprecation: _dropped, ...rest } = item;
    return rest as ItemDescription;
  };
  return {
    version: v,
    extensions: reference.extensions,
    pallets: reference.pallets.map((p) => ({
      ...p,
      docs: v >= 15 ? p.docs : [],
      calls: p.calls.map(strip),
      storage: p.storage.map(strip),
      events: p.events.map(strip),
      errors: p.errors.map(strip),
      constants: p.constants.map(strip),
    })),
    apis: v >= 15 ? reference.apis.map((a) => ({ ...a, version: v >= 16 ? a.version : null, methods: a.methods.map(strip) })) : [],
  };
}

// The committed copy of finney's spec-424 metadata (test-fixtures/, see generateReference.ts).
const fixtureBytes = readFileSync(referencePath());
const fixture = describeBytes(fixtureBytes);

describe('the devnet metadata against finney spec 424', () => {
  let built: BuiltMetadata;
  beforeAll(() => {
    built = buildMetadata(runtimePallets, loadReference(), servedApis());
  });

  it('is a byte copy of the shared reference fixture (V16, spec 424)', () => {
    expect(createHash('sha256').update(fixtureBytes).digest('hex')).toBe('66ee6af3ca885bb752f3e21ba1722e07d6aff7f242abd3e7abb8ac4f2774fb77');
    expect(fixture.version).toBe(16);
  });

  for (const v of [16, 15, 14] as const) {
    describe(`served as V${v}`, () => {
      let ours: InterfaceDescription;
      let reference: InterfaceDescription;
      beforeAll(() => {
        const bytes = v === 16 ? built.v16 : v === 15 ? built.v15 : built.v14;
        ours = describeBytes(bytes);
        reference = asVersion(fixture, v);
      });

      it(`is metadata V${v} with the reference's transaction extensions, in order, with the same types`, () => {
        expect(ours.version).toBe(v);
        expect(ours.extensions).toEqual(reference.extensions);
        expect(ours.extensions.map((e) => e.identifier)).toContain('ChargeTransactionPayment');
      });

      it('has every served pallet at its reference index, with its docs', () => {
        for (const p of ours.pallets) {
          const ref = reference.pallets.find((r) => r.name === p.name);
          expect(ref, p.name).toBeDefined();
          expect({ index: p.index, docs: p.docs }, p.name).toEqual({ index: ref?.index, docs: ref?.docs });
        }
      });

      it('serves every call, storage item, event, error and constant exactly as the reference (values and docs included)', () => {
        let compared = 0;
        for (const p of ours.pallets) {
          const ref = reference.pallets.find((r) => r.name === p.name);
          for (const kind of ['calls', 'storage', 'events', 'errors', 'constants'] as const) {
            for (const item of p[kind]) {
              expect(item, `${p.name}.${kind}.${item.name}`).toEqual(ref?.[kind].find((r) => r.name === item.name));
              compared++;
            }
          }
        }
        // SubtensorModule alone serves 222 storage items and 69 constants: guards against comparing nothing.
        expect(compared).toBeGreaterThan(600);
      });

      if (v >= 15) {
        it('serves the runtime APIs it answers, each method exactly as the reference declares it', () => {
          for (const api of ours.apis) {
            const ref = reference.apis.find((a) => a.name === api.name);
            expect({ version: api.version, docs: api.docs }, api.name).toEqual({ version: ref?.version, docs: ref?.docs });
            for (const m of api.methods) expect(m, `${api.name}_${m.name}`).toEqual(ref?.methods.find((r) => r.name === m.name));
          }
          expect(ours.apis.map((a) => a.name)).toEqual(
            expect.arrayContaining(['Core', 'Metadata', 'AccountNonceApi', 'TransactionPaymentApi', 'NeuronInfoRuntimeApi', 'SubnetInfoRuntimeApi', 'StakeInfoRuntimeApi', 'DelegateInfoRuntimeApi']),
          );
        });
      }
    });
  }

  it('serves the calls a subnet, btcli and polkadot.js apps need', () => {
    const ours = describeBytes(built.v16);
    const names = (pallet: string) => ours.pallets.find((p) => p.name === pallet)?.calls.map((c) => c.name) ?? [];
    expect(names('Balances')).toEqual(expect.arrayContaining(['transfer_allow_death', 'transfer_keep_alive', 'transfer_all']));
    expect(names('SubtensorModule')).toEqual(
      expect.arrayContaining(['commit_weights', 'reveal_weights', 'start_call', 'register_limit', 'add_stake_limit', 'remove_stake_limit', 'set_tempo', 'set_children']),
    );
    expect(names('SubtensorModule')).not.toContain('commit_crv3_weights');
    expect(names('AdminUtils')).not.toContain('sudo_set_max_weight_limit');
    expect(names('Commitments')).toEqual(['set_commitment', 'set_max_space']);
  });

  it('refuses a declaration that differs from the reference', () => {
    const ref = loadReference();
    const wrongArgs = definePallet({
      index: 5,
      name: 'Balances',
      calls: [{ index: 3, name: 'transfer_keep_alive', args: [{ name: 'dest', type: 'AccountId32' }, { name: 'value', type: 'u64' }], weight: weight(1), dispatch() {} }],
    });
    expect(() => buildMetadata([wrongArgs], ref)).toThrow(/transfer_keep_alive: args/);
    expect(() => buildMetadata([definePallet({ index: 6, name: 'Balances' })], ref)).toThrow(/index 6, reference 5/);
    expect(() => buildMetadata([definePallet({ index: 5, name: 'Balances', errors: [{ index: 2, name: 'NotAnError' }] })], ref)).toThrow(/NotAnError is not in the reference/);
    const wrongValue = definePallet({ index: 5, name: 'Balances', constants: [{ name: 'ExistentialDeposit', type: 'u64', value: 501 }] });
    expect(() => buildMetadata([wrongValue], ref)).toThrow(/ExistentialDeposit: value/);
    expect(() => buildMetadata([], ref, new Map([['NeuronInfoRuntimeApi', ['get_neurons_heavy']]]))).toThrow(/get_neurons_heavy is not in the reference/);
  });
});

// Keeps the fixture path honest: the test reads only inside the repository.
it('reads the fixture from chain/test-fixtures', () => {
  expect(referencePath()).toBe(fileURLToPath(new URL('../../test-fixtures/subtensor-finney-spec424.metadata.scale', import.meta.url)));
});

describe('the README lists what the devnet does not serve', () => {
  it('has the generated section, up to date (`npm run describe:unserved -w chain`)', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const begin = readme.indexOf(UNSERVED_BEGIN);
    const end = readme.indexOf(UNSERVED_END);
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(readme.slice(begin, end + UNSERVED_END.length)).toBe(currentUnservedMarkdown());
  });
});
