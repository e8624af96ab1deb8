/**
 * Refuses every fetch from the worker to another origin.
 *
 * Why: tasks-vision posts usage logs to https://odml.pa.googleapis.com/v1/log and has no option to turn
 * that off. MaskGuard promises that nothing leaves the phone, so the worker's `fetch` rejects foreign URLs
 * before any request is made; tasks-vision's logger stops after its first failed send. Our own model and
 * wasm fetches are same-origin and pass through untouched.
 */
export function allowOnlySameOriginFetch(scope: WorkerGlobalScope): void {
  const originalFetch = scope.fetch.bind(scope);
  const origin = scope.location.origin;
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), scope.location.href);
    if (url.origin !== origin && url.protocol !== 'blob:' && url.protocol !== 'data:') {
      return Promise.reject(new TypeError(`MaskGuard sends nothing off the device (blocked ${url.origin})`));
    }
    return originalFetch(input, init);
  };
}
