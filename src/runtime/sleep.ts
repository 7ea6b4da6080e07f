/** Waiting a while in code that must stop waiting when told to stop (a closing stream, a stopping mirror). */

/** Resolves after `ms`, or at once when `signal` aborts (or has already aborted). Never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
