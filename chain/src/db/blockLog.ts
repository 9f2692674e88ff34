/**
 * Persistence: an append-only, fsync'd log of blocks and their state changes under `<basePath>`.
 *
 * File `chain.log` = magic `CRCHAIN1` then records `u32 length ‖ u32 crc32 ‖ JSON payload`. Record 0 is
 * genesis (its changes are the whole genesis state). Each block is appended and fsync'd in one write
 * after it is built, so a crash loses at most the block being written; a torn or corrupt tail record is
 * cut off when the log is opened, never half-applied.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CrucibleError } from '@crucible/core';

export interface StoredBlock {
  readonly number: number;
  readonly hash: string;
  readonly header: { parentHash: string; number: number; stateRoot: string; extrinsicsRoot: string; digest: string[] };
  readonly extrinsics: string[];
  /** State changes of this block: [key, value or null for a deletion]. */
  readonly changes: Array<[string, string | null]>;
}

export interface BlockStore {
  /** Every stored block in order (empty for a new store). */
  readAll(): StoredBlock[];
  append(block: StoredBlock): void;
  close(): void;
  /** How many blocks were dropped from a torn tail when opening. */
  readonly recovered: number;
}

const MAGIC = Buffer.from('CRCHAIN1');

export class MemoryBlockStore implements BlockStore {
  readonly recovered = 0;
  readAll(): StoredBlock[] {
    return [];
  }
  append(): void {}
  close(): void {}
}

export class FileBlockStore implements BlockStore {
  private fd: number;
  private readonly blocks: StoredBlock[] = [];
  recovered = 0;

  constructor(basePath: string) {
    mkdirSync(basePath, { recursive: true });
    const path = join(basePath, 'chain.log');
    const fresh = !existsSync(path);
    this.fd = openSync(path, fresh ? 'w+' : 'r+');
    if (fresh) {
      writeSync(this.fd, MAGIC);
      fsyncSync(this.fd);
    } else {
      this.load(path);
    }
  }

  private load(path: string): void {
    const size = fstatSync(this.fd).size;
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) read += readSync(this.fd, buf, read, size - read, read);
    if (size < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new CrucibleError('CONFIG_INVALID', `${path} is not a crucible-chain log (bad magic); use another --base-path`);
    }
    let at = MAGIC.length;
    while (at + 8 <= size) {
      const len = buf.readUInt32LE(at);
      const sum = buf.readUInt32LE(at + 4);
      if (at + 8 + len > size) break;
      const payload = buf.subarray(at + 8, at + 8 + len);
      if (crc32(payload) !== sum) break;
      this.blocks.push(JSON.parse(payload.toString('utf8')) as StoredBlock);
      at += 8 + len;
    }
    if (at < size) {
      // A torn or corrupt tail from a crash mid-write: drop it so the next append starts clean.
      this.recovered = 1;
      ftruncateSync(this.fd, at);
      fsyncSync(this.fd);
    }
  }

  readAll(): StoredBlock[] {
    return this.blocks.splice(0);
  }

  append(block: StoredBlock): void {
    const payload = Buffer.from(JSON.stringify(block), 'utf8');
    const head = Buffer.alloc(8);
    head.writeUInt32LE(payload.length, 0);
    head.writeUInt32LE(crc32(payload), 4);
    const end = fstatSync(this.fd).size;
    writeSync(this.fd, Buffer.concat([head, payload]), 0, 8 + payload.length, end);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}
