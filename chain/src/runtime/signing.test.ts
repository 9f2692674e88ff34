/**
 * @polkadot/api 16.5.6 signs correctly for spec 424's transaction extensions: with finney's own
 * metadata loaded it knows the 13 extensions (the four it does not know add no bytes), puts exactly
 * era ‖ nonce ‖ tip ‖ metadata-hash mode in the extrinsic, and signs call ‖ extra ‖ spec ‖ tx version ‖
 * genesis ‖ birth hash ‖ None — the payload the devnet verifies.
 */
import { readFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, sr25519Verify } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { referencePath } from '../metadata/loadReference.js';
import { parseExtrinsic, signingPayload } from './extrinsic.js';

const GENESIS = `0x${'11'.repeat(32)}`;
const BIRTH = `0x${'22'.repeat(32)}`;

describe('signing for spec 424 with @polkadot/api 16.5.6', () => {
  let registry: TypeRegistry;
  let metadata: Metadata;
  beforeAll(async () => {
    await cryptoWaitReady();
    registry = new TypeRegistry();
    metadata = new Metadata(registry, readFileSync(referencePath()));
    registry.setMetadata(metadata);
  });

  it('knows the reference runtime’s 13 extensions in order, ChargeTransactionPayment among them', () => {
    expect(registry.signedExtensions).toEqual([
      'CheckNonZeroSender',
      'CheckSpecVersion',
      'CheckTxVersion',
      'CheckGenesis',
      'CheckMortality',
      'CheckNonce',
      'CheckWeight',
      'ChargeTransactionPayment',
      'SudoTransactionExtension',
      'CheckShieldedTxValidity',
      'SubtensorTransactionExtension',
      'DrandPriority',
      'CheckMetadataHash',
    ]);
  });

  it('produces v4 bytes with era ‖ nonce ‖ tip ‖ mode and a signature over the spec-424 payload', () => {
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
    const tx = expandMetadata(registry, metadata).tx;
    const call = tx['balances']!['transferKeepAlive']!(bob.publicKey, 1);
    const era = registry.createType('ExtrinsicEra', { current: 1000, period: 64 });
    const ext = registry.createType('Extrinsic', call);
    ext.sign(alice, {
      blockHash: BIRTH,
      era,
      genesisHash: GENESIS,
      nonce: 7,
      runtimeVersion: registry.createType('RuntimeVersion', { specVersion: 424, transactionVersion: 1 }),
      signedExtensions: registry.signedExtensions,
      tip: 0,
    });
    const bytes = ext.toU8a();
    const parsed = parseExtrinsic(bytes, (b) => registry.createType('Call', b));
    const signed = parsed.signed!;
    expect(u8aToHex(signed.signer)).toBe(u8aToHex(alice.publicKey));
    expect(signed.signatureKind).toBe('Sr25519');
    expect(signed).toMatchObject({ era: { kind: 'Mortal', period: 64, phase: 40 }, nonce: 7, tip: 0n, metadataHashMode: 0 });
    // The reference's worked example: extra = 8502 (era) 1c (nonce 7) 00 (tip) 00 (mode).
    expect(u8aToHex(signed.extra)).toBe('0x85021c0000');
    expect(u8aToHex(parsed.callBytes)).toBe(u8aToHex(call.toU8a()));
    const spec = Uint8Array.of(0xa8, 0x01, 0, 0); // 424
    const txVersion = Uint8Array.of(1, 0, 0, 0);
    const additional = u8aConcat(spec, txVersion, GENESIS, BIRTH, Uint8Array.of(0));
    expect(sr25519Verify(signingPayload(parsed.callBytes, signed.extra, additional), signed.signature, alice.publicKey)).toBe(true);
  });
});
