/**
 * Resolves in a later task: the page draws, and the camera's frames go on, before a long job (reading or
 * writing a whole export) continues. A timer rather than a microtask, which would run before any of that.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
