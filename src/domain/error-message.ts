// The words of whatever was thrown: an Error's message, or the thrown value as text. One helper,
// so every layer reports a failure the same way.

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
