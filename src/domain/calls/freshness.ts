/** A load reading older than this says nothing about a server's calls now (ten missed polls). */
export const READING_FRESH_MS = 5 * 60_000;
