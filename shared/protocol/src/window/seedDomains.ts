/**
 * Every domain tag a Crucible seed is derived under, in one table. A seed is
 * deriveSeed(tag, ...parts) (see @crucible/model's deriveSeed for the byte encoding); changing a tag
 * or its parts changes what every party computes, so a change here is a protocol version change.
 *
 * | rule                          | tag                          | parts                                          |
 * | ----------------------------- | ---------------------------- | ---------------------------------------------- |
 * | window seed                   | crucible/window-seed/v1      | genesis hash, netuid, window, first block hash |
 * | evaluation seed               | crucible/evaluation-seed/v2  | window seed, reveal block hash, validator      |
 * | a miner's pages               | crucible-assign-pages-v1     | String(window seed), window, hotkey, pages     |
 * | evaluation random pages       | crucible-assign-pages-v1     | evaluation seed, window, "random", pages       |
 * | a miner's training batch      | crucible-batch-v1            | String(window seed), window, hotkey, step      |
 * | evaluation: own batch         | crucible/eval-own/v1         | evaluation seed, window, hotkey                |
 * | evaluation: random batch      | crucible/eval-random/v1      | evaluation seed, window                        |
 * | checkpoint validation loss    | crucible-validation          | (a fixed PRNG seed, no parts)                  |
 */
export const seedDomains = {
  windowSeed: 'crucible/window-seed/v1',
  evaluationSeed: 'crucible/evaluation-seed/v2',
  assignPages: 'crucible-assign-pages-v1',
  trainingBatch: 'crucible-batch-v1',
  evaluationOwnBatch: 'crucible/eval-own/v1',
  evaluationRandomBatch: 'crucible/eval-random/v1',
  validationBatch: 'crucible-validation',
} as const;

export type SeedDomain = keyof typeof seedDomains;
