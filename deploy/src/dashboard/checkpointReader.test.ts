import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metagraph } from '@crucible/chain';
import { encodeBucketPointer, type BucketPointer } from '@crucible/storage';
import { startConnectionCanary, startHostileS3, type ConnectionCanary, type HostileBehaviour, type HostileS3 } from '@crucible/storage/testing';
import { createCheckpointReader } from './checkpointReader.js';

/**
 * The dashboard's reads of neurons' buckets against hostile endpoints (hang, trickle, a 400 MB listing,
 * endless pages, a redirect, a forbidden address): one refresh ends by its deadline whatever they do,
 * each hostile neuron is reported with its reason, memory stays flat, and a bucket that failed is left
 * alone for the next refreshes instead of costing each of them its budget again.
 */
let hostile: HostileS3;
let canary: ConnectionCanary;
const behaviours: HostileBehaviour[] = ['hang', 'trickle-headers', 'huge-list', 'endless-pages', 'redirect'];

beforeAll(async () => {
  canary = await startConnectionCanary('127.0.0.1');
  hostile = await startHostileS3({ host: '127.0.0.2', redirectTo: canary.url });
});
afterAll(async () => {
  await hostile.close();
  await canary.close();
});

function metagraphOf(endpoints: string[], buckets: string[]): Metagraph {
  const pointers: BucketPointer[] = endpoints.map((endpoint, i) => ({ kind: 's3', endpoint, region: 'auto', bucket: buckets[i]!, accessKeyId: 'k', secretAccessKey: 's' }));
  return { hotkeys: pointers.map((_, i) => `hotkey-${i}`), commitments: pointers.map((p) => ({ block: 1, data: encodeBucketPointer(p) })) } as unknown as Metagraph;
}

describe("the dashboard's reads of neurons' buckets", () => {
  it('end by the refresh deadline whatever the buckets do, naming each hostile neuron, and back off from them', async () => {
    const reader = createCheckpointReader({
      netuid: 1,
      endpointPolicy: { allowPrivateEndpoints: false, allowHttp: true, allowAddresses: ['127.0.0.2'] },
      refreshDeadlineMs: 2500,
      perNeuron: { timeMs: 2000, bytes: 4 * 2 ** 20 },
    });
    const endpoints = [...behaviours.map(() => hostile.endpoint), `http://127.0.0.1:${canary.port}`];
    const metagraph = metagraphOf(endpoints, [...behaviours, 'honest']);
    const rssBefore = process.memoryUsage().rss;
    const errors: string[] = [];
    const started = Date.now();
    expect(await reader.read(metagraph, errors)).toEqual([]);
    const ms = Date.now() - started;
    const growth = process.memoryUsage().rss - rssBefore;
    console.log(`one refresh against ${endpoints.length} hostile buckets: ${ms} ms, rss +${(growth / 2 ** 20).toFixed(1)} MB`);
    expect(ms).toBeLessThan(3500);
    expect(growth).toBeLessThan(64 * 2 ** 20);
    expect(errors).toHaveLength(endpoints.length);
    expect(errors.find((e) => e.startsWith('checkpoints of uid 0:'))).toMatch(/budget:time|timeout/);
    expect(errors.find((e) => e.startsWith('checkpoints of uid 2:'))).toMatch(/listing:page-bytes/);
    expect(errors.find((e) => e.startsWith('checkpoints of uid 3:'))).toMatch(/listing:pages/);
    expect(errors.find((e) => e.startsWith('checkpoints of uid 4:'))).toMatch(/forbidden:redirect/);
    expect(errors.find((e) => e.startsWith('checkpoints of uid 5:'))).toMatch(/forbidden:address/);

    // The next refresh leaves them alone (backoff) and is quick.
    const requests = hostile.stats.requests;
    const again: string[] = [];
    const t = Date.now();
    await reader.read(metagraph, again);
    expect(Date.now() - t).toBeLessThan(200);
    expect(hostile.stats.requests).toBe(requests);
    expect(again).toHaveLength(endpoints.length);
    expect(again.find((e) => e.startsWith('checkpoints of uid 3:'))).toMatch(/listing:pages.*next try in \d+ s/);
    expect(canary.connections()).toBe(0);
    reader.close();
  });
});
