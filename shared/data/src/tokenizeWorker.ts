/**
 * A tokenizer thread of TokenizePool: encodes text pieces with the tokenizer named in workerData and
 * answers with the ids in the dataset's id type, transferred (not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { allocTokens, dtypeForVocab, loadTokenizer } from '@crucible/model';

const tokenizer = await loadTokenizer((workerData as { tokenizer: string }).tokenizer);
const dtype = dtypeForVocab(tokenizer.vocabSize);

// Messages that arrived while the tokenizer loaded wait in the port's queue until this listener starts it.
parentPort!.on('message', ({ id, text }: { id: number; text: string }) => {
  try {
    const ids = tokenizer.encode(text);
    const out = allocTokens(dtype, ids.length);
    out.set(ids);
    parentPort!.postMessage({ id, ids: out }, [out.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: String((error as Error)?.stack ?? error) });
  }
});
