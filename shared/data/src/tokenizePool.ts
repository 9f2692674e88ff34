import { Worker } from 'node:worker_threads';
import { CrucibleError } from '@crucible/core';
import type { TokenArray, TokenizerName } from '@crucible/model';

interface Pending {
  resolve: (ids: TokenArray) => void;
  reject: (error: Error) => void;
}

/**
 * Tokenizer threads for preparing large datasets on machines with cores to spare. Each piece goes to
 * the thread with the fewest pieces in flight; callers keep the answers in order (pieces encode
 * independently, see createTextChunker), so the ids are the same for any number of threads.
 */
export class TokenizePool {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[];
  private nextId = 0;
  private failure: Error | undefined;

  /**
   * `heapMb` caps each thread's old generation. A BPE tokenizer's merge cache churns its old generation
   * steadily; without a cap V8 lets that garbage pile up for longer the longer a run lasts, so peak
   * memory would depend on the size of the text although the live data does not.
   */
  constructor(tokenizer: TokenizerName, threads: number, heapMb = 128) {
    if (!Number.isSafeInteger(threads) || threads < 1) throw new CrucibleError('CONFIG_INVALID', `tokenizer threads must be a positive integer, got ${threads}`);
    // From the built dist/ the worker is plain JavaScript; from TypeScript sources (tests) it is loaded
    // through tsx's loader, registered inside the thread.
    const fromSource = import.meta.url.endsWith('.ts');
    const script = new URL(fromSource ? './tokenizeWorker.ts' : './tokenizeWorker.js', import.meta.url);
    const viaTsx = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`;
    this.workers = Array.from({ length: threads }, () => {
      const resourceLimits = { maxOldGenerationSizeMb: heapMb };
      const worker = fromSource
        ? new Worker(viaTsx, { eval: true, workerData: { tokenizer }, resourceLimits })
        : new Worker(script, { workerData: { tokenizer }, resourceLimits });
      const slot = { worker, pending: new Map<number, Pending>() };
      worker.on('message', (m: { id: number; ids?: TokenArray; error?: string }) => {
        const p = slot.pending.get(m.id);
        slot.pending.delete(m.id);
        if (m.ids !== undefined) p?.resolve(m.ids);
        else p?.reject(new CrucibleError('INTERNAL', `tokenizer thread failed: ${m.error}`));
      });
      const fail = (error: Error) => {
        this.failure ??= new CrucibleError('INTERNAL', `a tokenizer thread stopped: ${error.message}`, { cause: error });
        for (const p of slot.pending.values()) p.reject(this.failure);
        slot.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (slot.pending.size > 0) fail(new Error(`exit code ${code}`));
      });
      return slot;
    });
  }

  /** The ids of one piece of text. */
  encode(text: string): Promise<TokenArray> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<TokenArray>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, text });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
