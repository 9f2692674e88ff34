import { describeError } from '@crucible/core';

/** One readable line for an error (code and message, and the cause's message), for the page and logs. */
export function errorText(error: unknown): string {
  const d = describeError(error);
  const cause = typeof d.cause === 'object' && d.cause !== null ? (d.cause as { message?: unknown }).message : undefined;
  return [d.code, d.message, typeof cause === 'string' ? `(${cause})` : undefined].filter((x) => typeof x === 'string' && x !== '').join(' ');
}
