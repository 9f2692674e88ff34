/**
 * Window arithmetic. Time is counted in chain blocks; a window is `blocksPerWindow` consecutive blocks:
 * window w covers blocks [w·B, (w+1)·B). Pure functions, no I/O.
 */
function checkBlocksPerWindow(blocksPerWindow: number): void {
  if (!Number.isSafeInteger(blocksPerWindow) || blocksPerWindow < 1) {
    throw new RangeError(`blocksPerWindow must be a positive integer, got ${blocksPerWindow}`);
  }
}

export function windowOf(block: number, blocksPerWindow: number): number {
  checkBlocksPerWindow(blocksPerWindow);
  if (!Number.isSafeInteger(block) || block < 0) throw new RangeError(`block must be a non-negative integer, got ${block}`);
  return Math.floor(block / blocksPerWindow);
}

/** First block of a window. */
export function windowStartBlock(window: number, blocksPerWindow: number): number {
  checkBlocksPerWindow(blocksPerWindow);
  return window * blocksPerWindow;
}

/** First block of the next window: uploads for `window` must be in storage before this block. */
export function windowEndBlock(window: number, blocksPerWindow: number): number {
  return windowStartBlock(window + 1, blocksPerWindow);
}

/** Blocks left in the window that holds `block`, counting `block` itself. */
export function blocksLeftInWindow(block: number, blocksPerWindow: number): number {
  return windowEndBlock(windowOf(block, blocksPerWindow), blocksPerWindow) - block;
}
