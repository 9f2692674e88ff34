/**
 * Key/value state and transactional layers over it. Keys are 0x-prefixed lowercase hex of the raw
 * Substrate storage key; values are raw SCALE bytes.
 */
export interface StateReader {
  get(key: string): Uint8Array | undefined;
  /** Keys present (not deleted) that start with `prefix`, sorted ascending. */
  keysWithPrefix(prefix: string): string[];
}

/** Changes of one layer: a value, or `null` for a deletion. */
export type ChangeSet = Map<string, Uint8Array | null>;

/** A layer of uncommitted writes over a parent; `commit()` folds them into the parent layer. */
export class Overlay implements StateReader {
  readonly changes: ChangeSet = new Map();

  constructor(readonly parent: StateReader) {}

  get(key: string): Uint8Array | undefined {
    const v = this.changes.get(key);
    if (v === null) return undefined;
    return v ?? this.parent.get(key);
  }

  set(key: string, value: Uint8Array): void {
    this.changes.set(key, value);
  }

  delete(key: string): void {
    this.changes.set(key, null);
  }

  keysWithPrefix(prefix: string): string[] {
    const keys = new Set(this.parent.keysWithPrefix(prefix));
    for (const [k, v] of this.changes) {
      if (!k.startsWith(prefix)) continue;
      if (v === null) keys.delete(k);
      else keys.add(k);
    }
    return [...keys].sort();
  }

  /** Applies this layer's changes to the parent, which must be an Overlay. */
  commit(): void {
    if (!(this.parent instanceof Overlay)) throw new Error('commit: parent is not an overlay');
    for (const [k, v] of this.changes) this.parent.changes.set(k, v);
    this.changes.clear();
  }
}

/** The committed state of one block: a plain map with a sorted key index built on demand. */
export class MemoryState implements StateReader {
  private readonly map = new Map<string, Uint8Array>();
  private sorted: string[] | undefined;

  get(key: string): Uint8Array | undefined {
    return this.map.get(key);
  }

  get size(): number {
    return this.map.size;
  }

  entries(): IterableIterator<[string, Uint8Array]> {
    return this.map.entries();
  }

  apply(changes: ChangeSet): void {
    for (const [k, v] of changes) {
      if (v === null) {
        if (this.map.delete(k)) this.sorted = undefined;
      } else {
        if (!this.map.has(k)) this.sorted = undefined;
        this.map.set(k, v);
      }
    }
  }

  sortedKeys(): string[] {
    this.sorted ??= [...this.map.keys()].sort();
    return this.sorted;
  }

  keysWithPrefix(prefix: string): string[] {
    const keys = this.sortedKeys();
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < keys.length && (keys[i] as string).startsWith(prefix); i++) out.push(keys[i] as string);
    return out;
  }
}
