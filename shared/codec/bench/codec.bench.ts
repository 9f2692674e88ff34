/**
 * Codec benchmark on the GPT parameter table (4 layers, C = 256, byte vocabulary, context 128):
 * encode = error feedback + top-k + quantisation + Rice coding + signing; decode = signature check +
 * parsing + dequantisation to dense. Prints figures, then one JSON line.
 */
import { cryptoReady, keypairFromUri, toHex } from '@crucible/core';
import { paramTable, presets } from '@crucible/model';
import {
  createErrorFeedback,
  decodeGradient,
  decompressTensor,
  encodeGradient,
  numelOf,
  parseCodecConfig,
  sparseLoCoStep,
} from '../src/index.js';
import { toDense } from '../src/compress.js';
import type { ParamSpec } from '../src/index.js';
import { seededRandom } from '../src/random.js';

// The ≈3.26M-parameter GPT the training benchmark uses (4 layers, width 256).
const table: ParamSpec[] = paramTable(presets.small);

await cryptoReady();
const config = parseCodecConfig();
const signer = keypairFromUri('//Alice');
const base = toHex(new Uint8Array(32).fill(3));
const params = table.reduce((n, p) => n + numelOf(p.shape), 0);
const rng = seededRandom(2026);
const rounds = 5;
const deltas = Array.from({ length: rounds + 1 }, () => new Map(table.map((p) => [p.name, rng.normals(numelOf(p.shape), 1e-3)])));

const state = createErrorFeedback(table);
let wire = encodeGradient({ window: 0, baseCheckpoint: base, config, tensors: sparseLoCoStep(state, deltas[0]!, config), signer });

let t = performance.now();
for (let r = 1; r <= rounds; r++) {
  const tensors = sparseLoCoStep(state, deltas[r]!, config);
  wire = encodeGradient({ window: r, baseCheckpoint: base, config, tensors, signer });
}
const encodeSeconds = (performance.now() - t) / 1000 / rounds;

t = performance.now();
let checksum = 0;
for (let r = 0; r < rounds; r++) {
  const decoded = decodeGradient(wire, { params: table, hotkey: signer.address, codec: config });
  for (const tensor of decoded.tensors) {
    const dense = toDense(decompressTensor(tensor, decoded.config), numelOf(tensor.shape));
    checksum += dense[0]!;
  }
}
const decodeSeconds = (performance.now() - t) / 1000 / rounds;

const view = new DataView(wire.buffer, wire.byteOffset);
const headerBytes = view.getUint32(38, true);
const bodyBytes = view.getUint32(42, true);
const kept = Math.round(params * (config.topK / 4096));
const ratio = (4 * params) / wire.length;
const line = (label: string, value: string) => console.log(`${label.padEnd(44)}${value}`);
line('parameters', `${params} in ${table.length} tensors`);
line('codec', `${config.tileSize}×${config.tileSize} tiles, k = ${config.topK}, ${config.bits}-bit values, β = ${config.beta}`);
line('wire bytes', `${wire.length} (prefix 46, header ${headerBytes} deflated, body ${bodyBytes}, signature 64)`);
line('bits per kept value (body)', ((bodyBytes * 8) / kept).toFixed(2));
line('bytes per parameter', (wire.length / params).toFixed(5));
line('dense fp32 bytes', `${4 * params}`);
line('ratio vs fp32', `${ratio.toFixed(1)}× (Templar's encoding ≈ 102×, information limit ≈ 219×)`);
line('encode (EF + top-k + quant + code + sign)', `${(encodeSeconds * 1000).toFixed(1)} ms/round = ${(params / encodeSeconds / 1e6).toFixed(2)} M params/s`);
line('decode (verify + parse + dense)', `${(decodeSeconds * 1000).toFixed(1)} ms = ${(params / decodeSeconds / 1e6).toFixed(2)} M params/s`);
line('note', 'measured on a shared 2-core machine under contention');
if (!Number.isFinite(checksum)) throw new Error('decode produced non-finite values');
console.log(
  JSON.stringify({
    bench: 'codec',
    params,
    wire_bytes: wire.length,
    ratio_vs_fp32: Number(ratio.toFixed(2)),
    encode_params_per_s: Math.round(params / encodeSeconds),
    decode_params_per_s: Math.round(params / decodeSeconds),
  }),
);
