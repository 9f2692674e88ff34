/**
 * Executes one block on top of a parent state, like frame_executive: initialize (System bookkeeping,
 * on_initialize hooks), the timestamp inherent, signed extrinsics (checks, fee, nonce, dispatch,
 * ExtrinsicSuccess/Failed), finalize (on_finalize hooks). Also validates transactions for the pool.
 */
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { ed25519Verify, sr25519Verify } from '@polkadot/wasm-crypto';
import { eraBirth, signingPayload, type ParsedExtrinsic } from './extrinsic.js';
import { Overlay, type ChangeSet, type StateReader } from './overlay.js';
import type { DispatchClass, DispatchResult, Weight } from './pallet.js';
import { RawScale, type BlockEnv, type Runtime } from './runtime.js';
import { BLOCK_HASH_COUNT, RUNTIME_VERSION } from './runtimeVersion.js';
import type { OverlayStorage } from './storageAccess.js';
import { invalidTx, isValidityError, unknownTx } from './validity.js';
import { readAccount, writeAccount } from '../pallets/system/accountInfo.js';
import * as System from '../pallets/system/systemStorage.js';
import { canPayFee, withdrawFee } from '../pallets/balances/currency.js';
import { computeFee } from '../pallets/transactionPayment/transactionPaymentPallet.js';

/** Aura's slot duration: the digest carries `now / 12000` like subtensor's block author would. */
const SLOT_DURATION_MS = 12_000n;
const AURA_ENGINE = Uint8Array.of(0x61, 0x75, 0x72, 0x61);

/** Transaction hash + birth hash of signatures already verified (insertion-ordered, bounded). */
const verifiedSignatures = new Set<string>();
const MAX_VERIFIED_CACHE = 65_536;

export interface CheckedTransaction {
  readonly signer: Uint8Array;
  readonly nonce: number;
  readonly fee: bigint;
  readonly tip: bigint;
  readonly weight: Weight;
  readonly class: DispatchClass;
  readonly paysFee: boolean;
}

export interface AppliedExtrinsic {
  readonly result: DispatchResult;
  readonly checked: CheckedTransaction | undefined;
}

export class BlockExecutor {
  readonly root: Overlay;
  readonly env: BlockEnv;
  private readonly storage: OverlayStorage;
  private count = 0;
  private totalLen = 0;
  private readonly weights = { Normal: 0n, Operational: 0n, Mandatory: 0n };
  private digestLogs: Uint8Array[] = [];

  constructor(
    private readonly runtime: Runtime,
    parent: StateReader,
    readonly number: number,
    readonly parentHash: Uint8Array,
    now: bigint,
  ) {
    this.root = new Overlay(parent);
    this.storage = runtime.storage(this.root);
    this.env = { number, now, phase: { kind: 'Initialization' } };
  }

  /** System bookkeeping for a new block; `hooks` false for transaction validation (as validate_transaction). */
  initialize(hooks = true): void {
    const s = this.storage;
    const slot = new Uint8Array(8);
    new DataView(slot.buffer).setBigUint64(0, this.env.now / SLOT_DURATION_MS, true);
    this.digestLogs = [u8aConcat(Uint8Array.of(6), AURA_ENGINE, compactToU8a(8), slot)];
    s.set(System.Number, [], this.number);
    s.set(System.ParentHash, [], this.parentHash);
    s.setRaw(s.key(System.Digest), u8aConcat(compactToU8a(this.digestLogs.length), ...this.digestLogs));
    if (this.number > 0) s.set(System.BlockHash, [this.number - 1], this.parentHash);
    s.remove(System.Events);
    s.remove(System.EventCount);
    s.clear(System.EventTopics);
    s.set(System.ExecutionPhase, [], 'Initialization');
    s.remove(System.InherentsApplied);
    if (!hooks) return;
    for (const p of this.runtime.pallets) {
      if (p.onInitialize === undefined) continue;
      const layer = new Overlay(this.root);
      p.onInitialize(this.runtime.context(p, { kind: 'None' }, layer, this.env));
      layer.commit();
    }
  }

  /** Applies the unsigned `timestamp.set` inherent (must be the first extrinsic). */
  applyInherent(ext: ParsedExtrinsic): AppliedExtrinsic {
    const { pallet, call } = this.runtime.resolveCall(ext.call);
    if (pallet.name !== 'Timestamp' || call.name !== 'set') throw unknownTx('NoUnsignedValidator');
    this.beginExtrinsic(ext);
    const weight = this.runtime.weightOf(ext.call);
    const result = this.runtime.dispatch(ext.call, { kind: 'None' }, this.root, this.env);
    if (!result.ok) throw invalidTx('BadMandatory');
    this.endExtrinsic(result, weight, 'Mandatory', true);
    this.storage.set(System.InherentsApplied, [], true);
    return { result, checked: undefined };
  }

  /**
   * The signed-extension checks of a transaction against the current state. In 'validate' mode a
   * nonce ahead of the account's is accepted (the pool keeps it as future); in 'apply' mode it is not.
   */
  check(ext: ParsedExtrinsic, mode: 'validate' | 'apply'): CheckedTransaction {
    const signed = ext.signed;
    if (signed === undefined) throw unknownTx('NoUnsignedValidator');
    if (signed.signer.every((b) => b === 0)) throw invalidTx('BadSigner');
    const s = this.storage;
    const blockHash = (n: number) => s.getRaw(s.key(System.BlockHash, [n]));
    // CheckMortality: the birth block must still be known (within BlockHashCount).
    const birth = eraBirth(signed.era, this.number);
    const birthHash = blockHash(birth);
    if (birthHash === undefined || birthHash.every((b) => b === 0)) throw invalidTx('AncientBirthBlock');
    const genesisHash = blockHash(0);
    if (genesisHash === undefined) throw invalidTx('AncientBirthBlock');
    const additional = u8aConcat(
      u32(RUNTIME_VERSION.specVersion),
      u32(RUNTIME_VERSION.transactionVersion),
      genesisHash,
      birthHash,
      // CheckMetadataHash: None when disabled. The devnet does not compute the RFC-78 digest, so a
      // transaction signed with mode 1 cannot verify and is rejected as a bad proof.
      Uint8Array.of(0),
    );
    if (signed.metadataHashMode !== 0) throw invalidTx('BadProof');
    // The payload is fixed by the bytes and the birth hash: a transaction verified by the pool is not
    // verified again when the block includes it.
    const cacheKey = `${ext.hash}:${Buffer.from(birthHash).toString('hex')}`;
    if (!verifiedSignatures.has(cacheKey)) {
      const payload = signingPayload(ext.callBytes, signed.extra, additional);
      if (!verifySignature(signed.signatureKind, payload, signed.signature, signed.signer)) throw invalidTx('BadProof');
      verifiedSignatures.add(cacheKey);
      if (verifiedSignatures.size > MAX_VERIFIED_CACHE) verifiedSignatures.delete(verifiedSignatures.values().next().value as string);
    }

    let resolved;
    try {
      resolved = this.runtime.resolveCall(ext.call);
    } catch {
      throw invalidTx('Call');
    }
    const account = readAccount(s, signed.signer);
    if (signed.nonce < account.nonce) throw invalidTx('Stale');
    if (mode === 'apply' && signed.nonce > account.nonce) throw invalidTx('Future');
    const weight = this.runtime.weightOf(ext.call);
    const cls = resolved.call.class ?? 'Normal';
    if (cls === 'Mandatory') throw invalidTx('MandatoryValidation');
    const paysFee = resolved.call.paysFee ?? true;
    const { total } = computeFee({ len: ext.bytes.length, weight, class: cls, paysFee, tip: signed.tip });
    if (!canPayFee(s, signed.signer, total)) throw invalidTx('Payment');
    for (const p of this.runtime.pallets) {
      if (p.validateSigned === undefined) continue;
      try {
        p.validateSigned({ blockNumber: this.number, storage: s, registry: this.runtime.registry }, signed.signer, {
          pallet: resolved.pallet.name,
          name: resolved.call.name,
          args: resolved.args,
        });
      } catch (e) {
        if (isValidityError(e)) throw e;
        this.runtime.onPalletBug(e);
        throw invalidTx('Call');
      }
    }
    return { signer: signed.signer, nonce: signed.nonce, fee: total, tip: signed.tip, weight, class: cls, paysFee };
  }

  /** Applies a signed extrinsic. Throws TransactionValidityError (and changes nothing) if it is invalid. */
  applyExtrinsic(ext: ParsedExtrinsic): AppliedExtrinsic {
    const checked = this.check(ext, 'apply');
    this.beginExtrinsic(ext);
    const who = checked.signer;
    const pre = new Overlay(this.root);
    const preCtx = this.runtime.context(this.runtime.pallet('TransactionPayment'), { kind: 'Signed', who }, pre, this.env);
    // CheckNonce::pre_dispatch, then ChargeTransactionPayment::pre_dispatch.
    const account = readAccount(preCtx.storage, who);
    account.nonce += 1;
    writeAccount(preCtx.storage, who, account);
    if (!withdrawFee(preCtx, who, checked.fee)) throw invalidTx('Payment');
    pre.commit();

    const result = this.runtime.dispatch(ext.call, { kind: 'Signed', who }, this.root, this.env);
    this.runtime.depositEvent(this.root, this.env.phase, 'TransactionPayment', 'TransactionFeePaid', [who, checked.fee, checked.tip]);
    this.endExtrinsic(result, checked.weight, checked.class, checked.paysFee);
    return { result, checked };
  }

  /** Runs on_finalize hooks and returns the block's state changes. */
  finalize(): { changes: ChangeSet; digestLogs: Uint8Array[] } {
    const s = this.storage;
    this.env.phase = { kind: 'Finalization' };
    s.set(System.ExecutionPhase, [], 'Finalization');
    for (const p of this.runtime.pallets) {
      if (p.onFinalize === undefined) continue;
      const layer = new Overlay(this.root);
      p.onFinalize(this.runtime.context(p, { kind: 'None' }, layer, this.env));
      layer.commit();
    }
    s.set(System.BlockWeight, [], {
      normal: { refTime: this.weights.Normal, proofSize: 0 },
      operational: { refTime: this.weights.Operational, proofSize: 0 },
      mandatory: { refTime: this.weights.Mandatory, proofSize: 0 },
    });
    s.remove(System.ExecutionPhase);
    s.remove(System.ExtrinsicCount);
    s.remove(System.AllExtrinsicsLen);
    s.remove(System.InherentsApplied);
    const expired = this.number - BLOCK_HASH_COUNT - 1;
    if (expired > 0) s.remove(System.BlockHash, [expired]);
    return { changes: this.root.changes, digestLogs: this.digestLogs };
  }

  /** Number of extrinsics applied so far. */
  get extrinsicCount(): number {
    return this.count;
  }

  private beginExtrinsic(ext: ParsedExtrinsic): void {
    this.env.phase = { kind: 'ApplyExtrinsic', index: this.count };
    this.storage.set(System.ExecutionPhase, [], { ApplyExtrinsic: this.count });
    this.totalLen += ext.bytes.length;
  }

  private endExtrinsic(result: DispatchResult, weight: Weight, cls: DispatchClass, paysFee: boolean): void {
    const info = { weight: { refTime: weight.refTime, proofSize: weight.proofSize }, class: cls, paysFee: paysFee ? 'Yes' : 'No' };
    if (result.ok) this.runtime.depositEvent(this.root, this.env.phase, 'System', 'ExtrinsicSuccess', [info]);
    else this.runtime.depositEvent(this.root, this.env.phase, 'System', 'ExtrinsicFailed', [new RawScale(result.error.toU8a()), info]);
    this.weights[cls] += weight.refTime;
    this.count += 1;
    this.storage.set(System.ExtrinsicCount, [], this.count);
    this.storage.set(System.AllExtrinsicsLen, [], this.totalLen);
  }
}

/** Never throws: malformed signatures or keys (e.g. a non-canonical ristretto point) are just invalid. */
function verifySignature(kind: 'Ed25519' | 'Sr25519' | 'Ecdsa', payload: Uint8Array, signature: Uint8Array, signer: Uint8Array): boolean {
  try {
    // The WASM verifiers (argument order: signature, message, public key); @polkadot/util-crypto's
    // sr25519 is pure JS and several times slower.
    if (kind === 'Sr25519') return sr25519Verify(signature, payload, signer);
    if (kind === 'Ed25519') return ed25519Verify(signature, payload, signer);
    return false;
  } catch {
    return false;
  }
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

