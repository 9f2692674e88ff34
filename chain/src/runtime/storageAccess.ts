import type { Codec, Registry } from '@polkadot/types/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import type { ResolvedStorage } from '../metadata/buildMetadata.js';
import type { Overlay } from './overlay.js';
import type { Hasher, StorageItem } from './pallet.js';

/**
 * Typed access to declared storage items in the current transactional layer. Keys and values are JS
 * values or codecs accepted by `registry.createType(<declared type>, x)`; reads return codecs.
 */
export interface StorageAccess {
  /** The value, or the item's default when absent. */
  get<T extends Codec = Codec>(item: StorageItem, keys?: readonly unknown[]): T;
  /** The value, or `undefined` when absent (whatever the modifier). */
  tryGet<T extends Codec = Codec>(item: StorageItem, keys?: readonly unknown[]): T | undefined;
  has(item: StorageItem, keys?: readonly unknown[]): boolean;
  set(item: StorageItem, keys: readonly unknown[], value: unknown): void;
  remove(item: StorageItem, keys?: readonly unknown[]): void;
  /** All entries whose leading keys equal `prefixKeys` (all entries when empty), in key order. */
  entries<T extends Codec = Codec>(item: StorageItem, prefixKeys?: readonly unknown[]): Array<{ keys: Codec[]; value: T }>;
  /** Removes every entry under `prefixKeys`. */
  clear(item: StorageItem, prefixKeys?: readonly unknown[]): void;
  /** The raw storage key (hex). */
  key(item: StorageItem, keys?: readonly unknown[]): string;
  getRaw(key: string): Uint8Array | undefined;
  setRaw(key: string, value: Uint8Array): void;
  removeRaw(key: string): void;
  /** Raw keys (hex) starting with `prefix` (hex), sorted. */
  rawKeysWithPrefix(prefix: string): string[];
}

/** Key derivation and value codecs for the declared items; shared by all layers. */
export class StorageSchema {
  private readonly prefixes = new Map<StorageItem, Uint8Array>();

  constructor(
    readonly registry: Registry,
    private readonly resolved: ReadonlyMap<string, ResolvedStorage>,
  ) {}

  resolve(item: StorageItem): ResolvedStorage {
    const r = this.resolved.get(`${item.pallet}.${item.name}`);
    if (r === undefined) throw new Error(`storage ${item.pallet}.${item.name} is not declared by any pallet`);
    return r;
  }

  prefix(item: StorageItem): Uint8Array {
    let p = this.prefixes.get(item);
    if (p === undefined) {
      p = u8aConcat(xxhashAsU8a(item.pallet, 128), xxhashAsU8a(item.name, 128));
      this.prefixes.set(item, p);
    }
    return p;
  }

  keyBytes(item: StorageItem, keys: readonly unknown[]): Uint8Array {
    const r = this.resolve(item);
    if (keys.length > r.keyTypes.length) throw new Error(`storage ${item.pallet}.${item.name}: too many keys`);
    const parts = [this.prefix(item)];
    keys.forEach((k, i) => {
      const encoded = this.registry.createType(r.keyTypes[i] as string, k).toU8a();
      parts.push(hashKey(item.hashers[i] as Hasher, encoded));
    });
    return u8aConcat(...parts);
  }

  key(item: StorageItem, keys: readonly unknown[]): string {
    return u8aToHex(this.keyBytes(item, keys));
  }

  decodeValue<T extends Codec>(item: StorageItem, bytes: Uint8Array): T {
    return this.registry.createType(this.resolve(item).valueType, bytes) as unknown as T;
  }

  encodeValue(item: StorageItem, value: unknown): Uint8Array {
    return this.registry.createType(this.resolve(item).valueType, value).toU8a();
  }

  /** Decodes the keys of a full storage key (only for concat/identity hashers; others yield the raw hash). */
  decodeKeys(item: StorageItem, rawKey: Uint8Array): Codec[] {
    const r = this.resolve(item);
    let at = 32;
    const out: Codec[] = [];
    item.hashers.forEach((h, i) => {
      const hashLen = HASH_PREFIX_LEN[h];
      at += hashLen;
      if (h === 'Blake2_128Concat' || h === 'Twox64Concat' || h === 'Identity') {
        const codec = this.registry.createType(r.keyTypes[i] as string, rawKey.subarray(at));
        at += codec.encodedLength;
        out.push(codec);
      } else {
        out.push(this.registry.createType('H256', rawKey.subarray(at - hashLen, at)));
      }
    });
    return out;
  }
}

const HASH_PREFIX_LEN: Record<Hasher, number> = {
  Blake2_128: 16,
  Blake2_256: 32,
  Blake2_128Concat: 16,
  Twox128: 16,
  Twox256: 32,
  Twox64Concat: 8,
  Identity: 0,
};

export function hashKey(hasher: Hasher, data: Uint8Array): Uint8Array {
  switch (hasher) {
    case 'Blake2_128':
      return blake2AsU8a(data, 128);
    case 'Blake2_256':
      return blake2AsU8a(data, 256);
    case 'Blake2_128Concat':
      return u8aConcat(blake2AsU8a(data, 128), data);
    case 'Twox128':
      return xxhashAsU8a(data, 128);
    case 'Twox256':
      return xxhashAsU8a(data, 256);
    case 'Twox64Concat':
      return u8aConcat(xxhashAsU8a(data, 64), data);
    case 'Identity':
      return data;
  }
}

/** StorageAccess over one overlay layer. */
export class OverlayStorage implements StorageAccess {
  constructor(
    private readonly schema: StorageSchema,
    readonly layer: Overlay,
  ) {}

  get<T extends Codec = Codec>(item: StorageItem, keys: readonly unknown[] = []): T {
    const raw = this.layer.get(this.schema.key(item, keys));
    return this.schema.decodeValue<T>(item, raw ?? this.schema.resolve(item).fallback);
  }

  tryGet<T extends Codec = Codec>(item: StorageItem, keys: readonly unknown[] = []): T | undefined {
    const raw = this.layer.get(this.schema.key(item, keys));
    return raw === undefined ? undefined : this.schema.decodeValue<T>(item, raw);
  }

  has(item: StorageItem, keys: readonly unknown[] = []): boolean {
    return this.layer.get(this.schema.key(item, keys)) !== undefined;
  }

  set(item: StorageItem, keys: readonly unknown[], value: unknown): void {
    this.layer.set(this.schema.key(item, keys), this.schema.encodeValue(item, value));
  }

  remove(item: StorageItem, keys: readonly unknown[] = []): void {
    this.layer.delete(this.schema.key(item, keys));
  }

  entries<T extends Codec = Codec>(item: StorageItem, prefixKeys: readonly unknown[] = []): Array<{ keys: Codec[]; value: T }> {
    const prefix = this.schema.key(item, prefixKeys);
    return this.layer.keysWithPrefix(prefix).map((k) => ({
      keys: this.schema.decodeKeys(item, hexToBytes(k)),
      value: this.schema.decodeValue<T>(item, this.layer.get(k) as Uint8Array),
    }));
  }

  clear(item: StorageItem, prefixKeys: readonly unknown[] = []): void {
    for (const k of this.layer.keysWithPrefix(this.schema.key(item, prefixKeys))) this.layer.delete(k);
  }

  key(item: StorageItem, keys: readonly unknown[] = []): string {
    return this.schema.key(item, keys);
  }

  getRaw(key: string): Uint8Array | undefined {
    return this.layer.get(key);
  }

  setRaw(key: string, value: Uint8Array): void {
    this.layer.set(key, value);
  }

  removeRaw(key: string): void {
    this.layer.delete(key);
  }

  rawKeysWithPrefix(prefix: string): string[] {
    return this.layer.keysWithPrefix(prefix);
  }
}

export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.startsWith('0x') ? hex.slice(2) : hex, 'hex'));
}
