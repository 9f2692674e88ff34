/**
 * Copy detection over decoded sparse updates. Two updates are compared by the cosine similarity of
 * their decoded values over all parameters (positions either update lacks count as zero). Honest miners
 * start from the same checkpoint but train on different pages, so their updates share direction only
 * partly; a copy, a replay or a lightly perturbed copy is near 1.
 */
export interface SparseParam {
  /** Flat positions, ascending. */
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

export type SparseUpdate = ReadonlyMap<string, SparseParam>;

function dot(a: SparseParam, b: SparseParam): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const ai = a.indices[i]!;
    const bj = b.indices[j]!;
    if (ai === bj) {
      sum += a.values[i]! * b.values[j]!;
      i++;
      j++;
    } else if (ai < bj) i++;
    else j++;
  }
  return sum;
}

/** An update with its norm (a DecodedUpdate is one): the norm is computed once, where it is decoded. */
export interface NormedUpdate {
  readonly sparse: SparseUpdate;
  readonly norm: number;
}

/** Cosine similarity in [−1, 1]; 0 when either update is empty. */
export function cosineSimilarity(a: NormedUpdate, b: NormedUpdate): number {
  let ab = 0;
  for (const [name, pa] of a.sparse) {
    const pb = b.sparse.get(name);
    if (pb) ab += dot(pa, pb);
  }
  return a.norm === 0 || b.norm === 0 ? 0 : ab / (a.norm * b.norm);
}

export interface UploadForComparison {
  hotkey: string;
  window: number;
  /** When storage received it (ms since epoch): the earlier upload is the original. */
  uploadedAt: number;
  update: NormedUpdate;
}

export interface CopyFinding {
  copier: string;
  original: string;
  originalWindow: number;
  similarity: number;
}

/**
 * For each current upload, the earliest other upload (this window's, or a kept earlier window's) it is
 * at least `threshold` similar to and that came before it. The later uploader is the copier; the same
 * hotkey re-sending its own earlier update counts as a replay.
 */
export function findCopies(current: readonly UploadForComparison[], history: readonly UploadForComparison[], threshold: number): CopyFinding[] {
  const findings: CopyFinding[] = [];
  for (const candidate of current) {
    let best: (CopyFinding & { uploadedAt: number }) | undefined;
    for (const other of [...current, ...history]) {
      if (other === candidate) continue;
      if (other.hotkey === candidate.hotkey && other.window === candidate.window) continue;
      const earlier = other.window < candidate.window || (other.window === candidate.window && other.uploadedAt < candidate.uploadedAt);
      if (!earlier) continue;
      const similarity = cosineSimilarity(candidate.update, other.update);
      const first = !best || other.window < best.originalWindow || (other.window === best.originalWindow && other.uploadedAt < best.uploadedAt);
      if (similarity >= threshold && first) {
        best = { copier: candidate.hotkey, original: other.hotkey, originalWindow: other.window, similarity, uploadedAt: other.uploadedAt };
      }
    }
    if (best) findings.push({ copier: best.copier, original: best.original, originalWindow: best.originalWindow, similarity: best.similarity });
  }
  return findings;
}
