import { CrucibleError } from '@crucible/core';

/**
 * The held-out rule of corpora and datasets: of the pages 0..P−1 (global numbering), page g is a
 * validation page when g mod valEvery = valEvery − 1, otherwise a training page. Training pages are
 * numbered 0.. in global order (the indices assignPages returns), and so are validation pages. These
 * maps are O(1), so a reader never builds a table the size of the dataset.
 */
export interface SplitCounts {
  readonly trainPages: number;
  readonly valPages: number;
}

function check(valEvery: number): void {
  if (!Number.isSafeInteger(valEvery) || valEvery < 2) throw new CrucibleError('DATA', `valEvery must be an integer >= 2, got ${valEvery}`);
}

/** How many training and validation pages `totalPages` pages make. */
export function splitCounts(totalPages: number, valEvery: number): SplitCounts {
  check(valEvery);
  const valPages = Math.floor(totalPages / valEvery);
  return { trainPages: totalPages - valPages, valPages };
}

/** The global page of training page i. */
export function trainPageToGlobal(i: number, valEvery: number): number {
  check(valEvery);
  return Math.floor(i / (valEvery - 1)) * valEvery + (i % (valEvery - 1));
}

/** The global page of validation page j. */
export function valPageToGlobal(j: number, valEvery: number): number {
  check(valEvery);
  return j * valEvery + valEvery - 1;
}
