/**
 * When an upload counts from: the moment a validator first saw those exact bytes (by content hash), on
 * its own clock — never what the miner's server says (LastModified, listings, sizes are the miner's to
 * forge). A changed object is a new upload, first seen when it is first fetched.
 *
 * The window counts the newest content first seen at or before the cutoff (the validator saw the
 * deadline block, plus a grace for clock and network differences). Content first seen only after the
 * cutoff is late; nothing seen at all is missing.
 */
export interface Sighting {
  contentHash: string;
  /** ms since epoch on the validator's clock, when it first fetched these bytes. */
  firstSeenAt: number;
}

export type PinnedUpload<T extends Sighting> = { status: 'on_time'; pinned: T } | { status: 'late'; firstSeenAt: number } | { status: 'missing' };

export function pinUpload<T extends Sighting>(sightings: readonly T[], cutoff: number): PinnedUpload<T> {
  let pinned: T | undefined;
  let late: number | undefined;
  for (const s of sightings) {
    if (s.firstSeenAt <= cutoff) {
      if (!pinned || s.firstSeenAt >= pinned.firstSeenAt) pinned = s;
    } else if (late === undefined || s.firstSeenAt < late) late = s.firstSeenAt;
  }
  if (pinned) return { status: 'on_time', pinned };
  if (late !== undefined) return { status: 'late', firstSeenAt: late };
  return { status: 'missing' };
}
