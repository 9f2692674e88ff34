import { CrucibleError } from '@crucible/core';

/** The `__metadata__` key holding the model config as JSON. */
export const CONFIG_METADATA_KEY = 'config';

/**
 * Metadata for a checkpoint file: `format: "pt"` (what Hugging Face loaders expect) and the model config
 * serialised as JSON under CONFIG_METADATA_KEY, plus any extra string entries.
 */
export function checkpointMetadata(config: object, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  if (Object.hasOwn(extra, CONFIG_METADATA_KEY)) {
    throw new CrucibleError('INTERNAL', `extra metadata must not override ${CONFIG_METADATA_KEY}`);
  }
  return { format: 'pt', ...extra, [CONFIG_METADATA_KEY]: JSON.stringify(config) };
}

/** The parsed (not yet validated) model config of a checkpoint; the caller validates it with its schema. */
export function configFromMetadata(metadata: Readonly<Record<string, string>>): unknown {
  const text = metadata[CONFIG_METADATA_KEY];
  if (text === undefined) throw new CrucibleError('CHECKPOINT_INVALID', `checkpoint metadata has no ${CONFIG_METADATA_KEY} entry`);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CrucibleError('CHECKPOINT_INVALID', `checkpoint metadata ${CONFIG_METADATA_KEY} is not valid JSON`, { cause });
  }
}
