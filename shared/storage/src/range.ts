import { CrucibleError } from '@crucible/core';

/** Throws INTERNAL for a range no caller should ask for (a bug, not a storage failure). */
export function checkRange(key: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 1) {
    throw new CrucibleError('INTERNAL', `getRange ${key}: bad range offset ${offset}, length ${length}`, { details: { key, offset, length } });
  }
}

/** The HTTP Range header of bytes [offset, offset + length). */
export function rangeHeader(offset: number, length: number): string {
  return `bytes=${offset}-${offset + length - 1}`;
}
