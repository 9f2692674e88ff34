import { describe, expect, it } from 'vitest';
import { blocksLeftInWindow, windowEndBlock, windowOf, windowStartBlock } from './window.js';

describe('window arithmetic', () => {
  it('maps blocks to windows of blocksPerWindow blocks', () => {
    expect(windowOf(0, 10)).toBe(0);
    expect(windowOf(9, 10)).toBe(0);
    expect(windowOf(10, 10)).toBe(1);
    expect(windowStartBlock(3, 10)).toBe(30);
    expect(windowEndBlock(3, 10)).toBe(40);
    expect(blocksLeftInWindow(37, 10)).toBe(3);
  });

  it('refuses nonsense', () => {
    expect(() => windowOf(-1, 10)).toThrow(RangeError);
    expect(() => windowOf(5, 0)).toThrow(RangeError);
    expect(() => windowOf(1.5, 10)).toThrow(RangeError);
  });
});
