import type { DatasetManifest } from './manifest.js';
import type { PrepareProgress } from './prepareDataset.js';

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const millions = (n: number) => (n / 1e6).toFixed(2);

/** One progress line of `crucible-data prepare`. */
export function formatProgress(p: PrepareProgress): string {
  if (p.phase === 'shard') return `shard ${p.shards - 1} uploaded; ${millions(p.tokens)}M tokens so far`;
  const share = p.totalTextBytes > 0 ? ` (${((100 * p.textBytes) / p.totalTextBytes).toFixed(1)}%)` : '';
  const rate = p.tokenizeMs > 0 ? `, ${millions((p.tokens * 1000) / p.tokenizeMs)}M tokens/s tokenizing` : '';
  const head = p.phase === 'done' ? 'done' : 'tokenizing';
  return `${head} ${mb(p.textBytes)}/${mb(p.totalTextBytes)} MB${share}, document ${p.documents}/${p.totalDocuments}, ${millions(p.tokens)}M tokens${rate}, ${p.shards} shards, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/** A few lines that say what a dataset holds. */
export function describeManifest(m: DatasetManifest): string[] {
  const bytes = m.shards.reduce((n, s) => n + s.bytes, 0);
  return [
    `source ${m.source}: ${m.documents} documents, ${mb(m.textBytes)} MB of text`,
    `tokenizer ${m.tokenizer.name} (${m.tokenizer.version}), ${m.vocabSize} ids stored as ${m.dtype}`,
    `${m.pageCount} pages of ${m.pageSize} tokens (${m.trainPages} training, ${m.valPages} validation: every ${m.split.valEvery}th), ${m.droppedTokens} tokens dropped after the last page`,
    `${m.shards.length} shards of up to ${m.shardPages} pages, ${mb(bytes)} MB`,
  ];
}
