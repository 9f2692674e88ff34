/**
 * Commit-reveal benchmark: 64 validators of one subnet each commit a weight hash in the same epoch, then
 * reveal it in the next, through the typed client (`commitWeights` / `revealWeights`) against the
 * devnet. Latency is submit → included in a block, per validator. Final line is one JSON object.
 *
 * Usage: npx tsx chain/bench/commitReveal.bench.ts [--validators 64 --block-time-ms 250]
 */
import { createLogger, cryptoReady, keypairFromUri } from '@crucible/core';
import { callOf } from '../src/client/chainApi.js';
import { commitRevealState, commitWeights, randomSalt, revealWeights } from '../src/client/commitReveal.js';
import { connectChain } from '../src/client/connect.js';
import { registerNetwork } from '../src/client/register.js';
import { startSubnet } from '../src/client/subnetOwner.js';
import { submitExtrinsic } from '../src/client/submit.js';
import { sudoCall, sudoSetHyperparameters } from '../src/client/sudo.js';
import type { PendingCommit } from '../src/client/weightCommitStore.js';
import { startDevnet } from '../src/node/devnet.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const VALIDATORS = arg('validators', 64);
const BLOCK_TIME_MS = arg('block-time-ms', 250);
const TEMPO = 20;

await cryptoReady();
const node = await startDevnet({ port: 0, blockTimeMs: BLOCK_TIME_MS, tmp: true, logger: createLogger({ name: 'bench', level: 'warn', write: () => {} }) });
const client = await connectChain({ endpoint: node.endpoint });
const alice = keypairFromUri('//Alice');
const validators = Array.from({ length: VALIDATORS }, (_, i) => keypairFromUri(`//Bench//validator${i}`));

const { netuid } = await registerNetwork(client, alice, keypairFromUri('//Bench//owner').address);
await sudoCall(client, alice, 'adminUtils', 'sudoSetAdminFreezeWindow', [2]);
await sudoSetHyperparameters(client, alice, netuid, { tempo: TEMPO, weightsSetRateLimit: 0n });
await startSubnet(client, alice, netuid);
// One batch registers every validator hotkey (the price climbs ×1.26 each, capped at MaxBurn).
const registrations = validators.map((v) => callOf(client.api, 'subtensorModule', 'burnedRegister')(netuid, v.address));
await submitExtrinsic(client, alice, callOf(client.api, 'utility', 'batchAll')(registrations));

const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

// Commit in one epoch: validator i weights uid i + 1 (itself: a self-weight needs no validator permit).
const t0 = performance.now();
const commits = await Promise.all(
  validators.map((v, i) => timed(() => commitWeights(client, v, netuid, { uids: [i + 1], values: [65535], salt: randomSalt(), versionKey: 0n }))),
);
const commitWall = performance.now() - t0;
const commitMs = commits.map(([, ms]) => ms);
const pending: PendingCommit[] = commits.map(([r]) => r.commit);
const commitEpochs = new Set(pending.map((c) => c.commitEpoch));

// Wait for the reveal epoch (commit epoch + RevealPeriodEpochs = 1), then reveal all.
const revealEpoch = Math.max(...commitEpochs) + 1;
for (;;) {
  const state = await commitRevealState(client, netuid, validators[0]!.address);
  if (state.epoch >= revealEpoch) break;
  await new Promise((r) => setTimeout(r, BLOCK_TIME_MS / 2));
}
const t1 = performance.now();
const reveals = await Promise.all(validators.map((v, i) => timed(() => revealWeights(client, v, pending[i]!))));
const revealWall = performance.now() - t1;
const revealMs = reveals.map(([, ms]) => ms);
const weightsSet = reveals.filter(([r]) => r.events.some((e) => e.name === 'subtensorModule.WeightsSet')).length;

console.log(`${VALIDATORS} validators, tempo ${TEMPO}, ${BLOCK_TIME_MS} ms blocks; commits in epoch(s) ${[...commitEpochs].join(', ')}, reveals in epoch ${revealEpoch}`);
console.log(`commit_weights submit → in block: p50 ${median(commitMs).toFixed(1)} ms, max ${Math.max(...commitMs).toFixed(1)} ms (all ${VALIDATORS} in ${commitWall.toFixed(0)} ms)`);
console.log(`reveal_weights submit → in block: p50 ${median(revealMs).toFixed(1)} ms, max ${Math.max(...revealMs).toFixed(1)} ms (all in ${revealWall.toFixed(0)} ms; ${weightsSet} WeightsSet)`);
console.log('(latency is dominated by waiting for the next block; measured on a shared 2-core machine)');
await client.close();
await node.close();
console.log(JSON.stringify({ bench: 'commit-reveal', validators: VALIDATORS, commit_ms_p50: Number(median(commitMs).toFixed(1)), reveal_ms_p50: Number(median(revealMs).toFixed(1)) }));
process.exit(weightsSet === VALIDATORS ? 0 : 1);
