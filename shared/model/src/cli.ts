/**
 * `crucible-model`: create, train, evaluate and sample a Crucible GPT checkpoint on this machine.
 * Thin: each command validates its flags (zod) and calls the package's typed functions.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type CliSpec, CrucibleError, defineCommand, loggingSchema, runCliIfMain } from '@crucible/core';
import { isPresetName, presets, validateConfig, vocabSizeOf, type GptConfig } from './gpt/config.js';
import { hashCheckpoint, readCheckpoint, writeCheckpoint } from './gpt/checkpoint.js';
import { initParams } from './gpt/init.js';
import { paramCount } from './gpt/params.js';
import { allocTokens, createPrng, dtypeOf, loadCorpus, loadTokenizer, TOKENIZER_NAMES, TOKENIZER_VOCAB_SIZES, type TokenArray, type Tokenizer } from './data/index.js';
import { GptSession } from './session/gptSession.js';
import { bitsPerByte } from './train/bits.js';
import { evaluateTokens } from './train/evaluateTokens.js';
import { sampleTokens } from './train/sample.js';
import { trainOnCorpus } from './train/trainOnCorpus.js';
import { adamWDefaults } from './optim/adamw.js';

const threads = z.number().int().min(1).default(2).describe('onnxruntime intra-op threads (results are bit-reproducible per count)');
const logging = loggingSchema.default(loggingSchema.parse({}));
const checkpoint = z.string().min(1).describe('checkpoint file (.safetensors)');

const initSchema = z.strictObject({
  out: z.string().min(1).describe('where to write the new checkpoint (.safetensors)'),
  preset: z.string().default('tiny').describe(`model size: ${Object.keys(presets).join(', ')}`),
  nLayer: z.number().int().min(1).optional().describe('override the preset depth'),
  nEmbd: z.number().int().min(1).optional().describe('override the preset width'),
  nHead: z.number().int().min(1).optional().describe('override the preset head count'),
  blockSize: z.number().int().min(1).optional().describe('override the preset context length'),
  seed: z.number().int().min(0).max(0xffffffff).default(0).describe('initialisation seed (uint32)'),
  logging,
});

const trainSchema = z.strictObject({
  checkpoint,
  out: z.string().min(1).optional().describe('where to write the trained checkpoint; default: overwrite --checkpoint'),
  steps: z.number().int().min(1).default(100).describe('optimizer steps'),
  batch: z.number().int().min(1).default(16).describe('sequences per step'),
  lr: z.number().positive().default(3e-3).describe('peak learning rate (linear warmup, cosine decay to 10%)'),
  warmup: z.number().int().min(0).default(20).describe('warmup steps'),
  corpus: z.string().default('sotu').describe("training text: 'sotu' (the default corpus) or a file or directory"),
  seed: z.string().default('crucible-train').describe('seed of the batch sampler'),
  weightDecay: z.number().min(0).default(adamWDefaults.weightDecay).describe('AdamW decoupled weight decay (2-D parameters only)'),
  beta1: z.number().min(0).lt(1).default(adamWDefaults.beta1).describe('AdamW first-moment decay'),
  beta2: z.number().min(0).lt(1).default(adamWDefaults.beta2).describe('AdamW second-moment decay'),
  eps: z.number().positive().default(adamWDefaults.eps).describe('AdamW epsilon'),
  gradClip: z.number().positive().default(adamWDefaults.maxGradNorm).describe('clip the global gradient norm to this before each step'),
  threads,
  logging,
});

const evalSchema = z.strictObject({
  checkpoint,
  text: z.string().default('sotu').describe("'sotu' (the default corpus' validation pages) or a text file"),
  batch: z.number().int().min(1).default(16).describe('windows per onnxruntime call'),
  maxWindows: z.number().int().min(1).default(256).describe('evaluate at most this many blockSize windows'),
  threads,
  logging,
});

const sampleSchema = z.strictObject({
  checkpoint,
  prompt: z.string().min(1).default('The ').describe('text to continue'),
  tokens: z.number().int().min(1).default(200).describe('tokens to generate'),
  temperature: z.number().min(0).default(0.8).describe('softmax temperature (0 = greedy)'),
  topK: z.number().int().min(0).default(0).describe('sample among the k most likely tokens (0 = all)'),
  seed: z.number().int().min(0).default(0).describe('sampling seed'),
  threads,
  logging,
});

export const modelCli: CliSpec = {
  name: 'crucible-model',
  description: "create, train, evaluate and sample Crucible's GPT (byte-level or GPT-2 vocabulary)",
  envPrefix: 'CRUCIBLE_MODEL',
  commands: {
    init: defineCommand({
      summary: 'write a freshly initialised checkpoint',
      schema: initSchema,
      async run(c, { print }) {
        if (!isPresetName(c.preset)) throw new CrucibleError('USAGE', `unknown preset ${c.preset}; choose one of ${Object.keys(presets).join(', ')}`);
        const base = presets[c.preset];
        const config = validateConfig({
          nLayer: c.nLayer ?? base.nLayer,
          nEmbd: c.nEmbd ?? base.nEmbd,
          nHead: c.nHead ?? base.nHead,
          blockSize: c.blockSize ?? base.blockSize,
          ...('vocabSize' in base ? { vocabSize: base.vocabSize } : {}),
        });
        const ckpt = { config, params: initParams(config, c.seed), metadata: { step: '0', seed: String(c.seed) } };
        await writeCheckpoint(c.out, ckpt);
        print(`${c.out}: ${JSON.stringify(config)}, ${paramCount(config).toLocaleString('en-US')} parameters, hash ${hashCheckpoint(ckpt)}`);
      },
    }),
    train: defineCommand({
      summary: 'train a checkpoint for N steps on a corpus, printing one line per step',
      schema: trainSchema,
      async run(c, { print, signal }) {
        const ckpt = await readCheckpoint(c.checkpoint);
        const corpus = await loadCorpus(c.corpus, { tokenizer: (await tokenizerOf(ckpt.config)).name });
        const start = Number(ckpt.metadata.step ?? '0') || 0;
        const result = await trainOnCorpus({
          config: ckpt.config,
          params: ckpt.params,
          corpus,
          steps: c.steps,
          batch: c.batch,
          threads: c.threads,
          maxLr: c.lr,
          warmupSteps: c.warmup,
          adamw: { weightDecay: c.weightDecay, beta1: c.beta1, beta2: c.beta2, eps: c.eps, maxGradNorm: c.gradClip },
          seed: `${c.seed}/from/${start}`,
          signal,
          onStep: (s) => {
            print(
              `step ${s.step}/${c.steps} loss ${s.loss.toFixed(4)} lr ${s.lr.toExponential(2)} grad_norm ${s.gradNorm.toFixed(3)} tokens/s ${Math.round(s.tokensPerSecond)}`,
            );
          },
        });
        const out = c.out ?? c.checkpoint;
        // Interrupted (SIGINT/SIGTERM) runs stop after the current step and still save what they trained.
        const next = { ...ckpt, metadata: { ...ckpt.metadata, step: String(start + result.stepsDone) } };
        await writeCheckpoint(out, next);
        print(
          `validation ${bitsPerByte(result.valLossBefore).toFixed(3)} -> ${bitsPerByte(result.valLossAfter).toFixed(3)} bits/byte; ` +
            `wrote ${out} (hash ${hashCheckpoint(next)})`,
        );
      },
    }),
    eval: defineCommand({
      summary: 'mean loss and bits per byte of a checkpoint on a text',
      schema: evalSchema,
      async run(c, { print }) {
        const ckpt = await readCheckpoint(c.checkpoint);
        const tokenizer = await tokenizerOf(ckpt.config);
        const tokens = c.text === 'sotu' ? await validationTokens(tokenizer) : tokenizer.input === 'bytes' ? new Uint8Array(await readFile(c.text)) : tokenizer.encode(await readFile(c.text, 'utf8'));
        const session = await GptSession.create({ config: ckpt.config, batch: c.batch, threads: c.threads, graphs: ['eval'] });
        try {
          const r = await evaluateTokens(session, ckpt.params, tokens, c.maxWindows);
          print(JSON.stringify({ text: c.text, positions: r.positions, loss: Number(r.loss.toFixed(6)), bits_per_byte: Number(r.bitsPerByte.toFixed(6)) }));
        } finally {
          await session.close();
        }
      },
    }),
    sample: defineCommand({
      summary: 'generate text from a prompt',
      schema: sampleSchema,
      async run(c, { print }) {
        const ckpt = await readCheckpoint(c.checkpoint);
        const session = await GptSession.create({ config: ckpt.config, batch: 1, threads: c.threads, graphs: ['logits'] });
        try {
          const prng = createPrng(c.seed);
          const tokenizer = await tokenizerOf(ckpt.config);
          const out = await sampleTokens(session, ckpt.params, tokenizer.encode(c.prompt), {
            maxTokens: c.tokens,
            temperature: c.temperature,
            topK: c.topK,
            random: () => prng.nextFloat(),
          });
          print(c.prompt + tokenizer.decode(out));
        } finally {
          await session.close();
        }
      },
    }),
  },
};

/** The tokenizer whose vocabulary size the checkpoint's config has. */
async function tokenizerOf(config: GptConfig): Promise<Tokenizer> {
  const name = TOKENIZER_NAMES.find((n) => TOKENIZER_VOCAB_SIZES[n] === vocabSizeOf(config));
  if (name === undefined) throw new CrucibleError('USAGE', `no tokenizer has a vocabulary of ${vocabSizeOf(config)} ids`);
  return loadTokenizer(name);
}

async function validationTokens(tokenizer: Tokenizer): Promise<TokenArray> {
  const corpus = await loadCorpus('sotu', { tokenizer: tokenizer.name });
  const pages = Array.from({ length: corpus.valPageCount }, (_, i) => corpus.valPage(i));
  const out = allocTokens(dtypeOf(pages[0]!), pages.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of pages) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export default modelCli;
runCliIfMain(import.meta.url, modelCli);
