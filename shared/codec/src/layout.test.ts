import { describe, expect, it } from 'vitest';
import { parseCodecConfig } from './config.js';
import { chunkLayout, globalIndex } from './layout.js';

const config = parseCodecConfig();

describe('chunkLayout', () => {
  it('cuts a matrix whose sides divide by 64 into full 64×64 tiles of 64 kept values', () => {
    const l = chunkLayout([128, 256], config);
    expect(l.chunks).toBe(8);
    expect([...l.length]).toEqual(Array(8).fill(4096));
    expect([...l.k]).toEqual(Array(8).fill(64));
    expect(l.totalK).toBe(512);
  });

  it('leaves ragged edge tiles smaller and keeps their density', () => {
    const l = chunkLayout([70, 130], config);
    // rows 64 + 6, columns 64 + 64 + 2
    expect([...l.length]).toEqual([4096, 4096, 128, 384, 384, 12]);
    expect([...l.width]).toEqual([64, 64, 2, 64, 64, 2]);
    expect([...l.k]).toEqual([64, 64, 2, 6, 6, 1]);
  });

  it('cuts vectors and higher-rank tensors into runs of chunkSize, the last one shorter', () => {
    const l = chunkLayout([10_000], config);
    expect([...l.length]).toEqual([4096, 4096, 1808]);
    expect([...l.k]).toEqual([64, 64, 28]);
    expect(chunkLayout([2, 5000], parseCodecConfig({ tileSize: 64 })).chunks).toBe(79);
    expect(chunkLayout([4, 4, 4], config).k[0]).toBe(1);
  });

  it('keeps at least one value of a small vector or a scalar', () => {
    expect([...chunkLayout([256], config).k]).toEqual([4]);
    expect([...chunkLayout([], config).k]).toEqual([1]);
    expect(chunkLayout([0, 5], config).chunks).toBe(0);
  });

  it('maps every element of a ragged matrix to exactly one chunk-local index', () => {
    const shape = [70, 130];
    const l = chunkLayout(shape, config);
    const seen = new Uint8Array(70 * 130);
    for (let j = 0; j < l.chunks; j++) for (let i = 0; i < l.length[j]!; i++) seen[globalIndex(l, j, i)]!++;
    expect(seen.every((v) => v === 1)).toBe(true);
  });
});
