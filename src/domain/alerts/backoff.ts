// When a failed delivery is tried again: 5 s, 10 s, 20 s … doubling to at most 10 minutes, eight
// attempts in all (about 21 minutes), then it is marked failed. What is worth retrying: no answer,
// a timeout, a 5xx, 408 and 429. Any other 4xx will not change by waiting (a revoked webhook, a
// malformed key): one attempt, and the channel's failure is raised at once.

export const MAX_ATTEMPTS = 8;
export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 600_000;

/** Delay before attempt `attempt + 1`, after `attempt` attempts (1-based). */
export function retryDelayMs(attempt: number, retryAfterMs: number | null = null): number {
  const doubling = FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1);
  const delay = Math.min(MAX_RETRY_MS, doubling);
  // A receiver that says when to come back (429 Retry-After) is believed, within the cap.
  return retryAfterMs !== null && retryAfterMs > delay ? Math.min(MAX_RETRY_MS, retryAfterMs) : delay;
}

/** HTTP statuses (and null: nothing answered) that a later attempt may get past. */
export function retryable(status: number | null): boolean {
  if (status === null) return true;
  return status >= 500 || status === 408 || status === 429;
}
