/** The message of a thrown value, for a line on screen or in a worker message (anything may be thrown). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
