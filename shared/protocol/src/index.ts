// @crucible/protocol — the rulebook of a window: every rule two parties must compute alike.
// Names are listed explicitly; index.test.ts pins the list.

// The run configuration (fixed in the signed genesis) and its defaults
export { runConfigSchema } from './run/runConfig.js';
export type { RunConfig, RunConfigInput } from './run/runConfig.js';
export { runConfigFor, runDefaults } from './run/runDefaults.js';
export type { RunConfigOptions } from './run/runDefaults.js';
export { isRunPresetName, runPresets } from './run/runPresets.js';
export type { RunPresetName } from './run/runPresets.js';

// A window: seeds, pages, batches, deadlines, bases, evaluation data
export { seedDomains } from './window/seedDomains.js';
export { assignPages, evaluationSeed, trainingBatchSeed, windowSeed } from './window/seeds.js';
export type { WindowSeedInput } from './window/seeds.js';
export { windowBlocks, windowPlan } from './window/windowPlan.js';
export type { WindowBlocks, WindowPlan } from './window/windowPlan.js';
export { acceptedBases, aggregatorElectionWindow, BASE_LAG_WINDOWS, baseWindowLimit, pickBaseWindow } from './window/schedule.js';
export { evaluationPages, evaluationSample } from './window/evaluationSample.js';
export type { EvaluationSample, TrainingPages } from './window/evaluationSample.js';

// Updates: decoding once, the one norm and clip rule, the outer step
export { decodeUpdate } from './update/decodeUpdate.js';
export type { DecodedUpdate } from './update/decodeUpdate.js';
export { medianNorm, updateScale } from './update/clip.js';
export { openSealed, SEAL_KEY_BYTES, sealedKeyHash, sealUpdate } from './update/seal.js';
export type { SealedUpdate } from './update/seal.js';
export { applyUpdate } from './update/applyUpdate.js';
export { outerStep } from './update/outerStep.js';
export type { OuterStepOptions, OuterStepResult, OuterStepUpdate } from './update/outerStep.js';

// The Gauntlet: verdicts, screening (copies, shared work), scores, pay rules
export { rejectionReasons } from './gauntlet/verdict.js';
export type { Losses, RejectionReason, Verdict } from './gauntlet/verdict.js';
export { isSameWork, similarity } from './gauntlet/similarity.js';
export type { NormedUpdate, Similarity, SparseUpdate } from './gauntlet/similarity.js';
export { screenUploads } from './gauntlet/screenUploads.js';
export type { EarlierUpdate, Screenable, Screened, ScreenThresholds } from './gauntlet/screenUploads.js';
export { scoreLosses } from './gauntlet/scoreLosses.js';
export { pinUpload } from './gauntlet/firstSeen.js';
export type { PinnedUpload, Sighting } from './gauntlet/firstSeen.js';
export { missMultiplier, warmedUp, withBurnShare } from './gauntlet/penalties.js';

// Checkpoints: manifests, who may sign them, where they are, following them
export { decodeManifest, encodeManifest, MANIFEST_VERSION, manifestSchema, sameRun } from './checkpoints/manifest.js';
export type { Manifest, SignedManifest } from './checkpoints/manifest.js';
export { fetchManifest, fetchParams, getManifest, listCheckpointWindows, MAX_MANIFEST_BYTES, publishCheckpoint } from './checkpoints/checkpointStore.js';
export type { PublishedCheckpoint } from './checkpoints/checkpointStore.js';
export { electAggregator } from './checkpoints/election.js';
export type { ElectedAggregator, ElectionState } from './checkpoints/election.js';
export { checkpointSignerPolicy, withArchive } from './checkpoints/signerPolicy.js';
export type { SignerChain, SignerPolicy } from './checkpoints/signerPolicy.js';
export { checkpointSources } from './checkpoints/checkpointSources.js';
export type { NeuronRow } from './checkpoints/checkpointSources.js';
export { checkpointParamsToDelete, MIN_KEEP_CHECKPOINTS } from './checkpoints/retention.js';
export type { RetentionRule } from './checkpoints/retention.js';
export { isForgery } from './checkpoints/transient.js';
export type { RetryPolicy } from './checkpoints/transient.js';
export { CheckpointFollower } from './checkpoints/checkpointFollower.js';
export type { CheckpointSource, FollowedLink, FollowerOptions, HeldCheckpoint, Rejection, SavedLink, SyncResult } from './checkpoints/checkpointFollower.js';
