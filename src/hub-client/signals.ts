/**
 * A signal for one exchange: aborted when a parent is (the caller's, such as
 * a mirror's peer session) or when its time is up, and unlinked from the
 * parents once the exchange is over.
 *
 * Why not AbortSignal.any with AbortSignal.timeout: Node 20 keeps every
 * signal AbortSignal.any made reachable from a long-lived parent
 * (nodejs/node#55351, confirmed on 20.20: 600,000 entries still held after a
 * GC), and a mirror's peer signal lives as long as the hub, so each request
 * to a peer grew the hub by one entry for good; AbortSignal.timeout also keeps
 * its timer, and what it reaches, for the whole timeout after the answer came.
 * (Found as a fuzz run of the peer client that slowed to a stall.)
 */
export interface ExchangeSignal {
  /** Aborts the exchange; undefined when nothing can. */
  readonly signal?: AbortSignal;
  /** Aborted (with a TimeoutError) when the time ran out; undefined without a timeout. */
  readonly deadline?: AbortSignal;
  /** Clears the timer and unlinks the parents: call once the exchange is over, answer read or failed. */
  release(): void;
}

export function exchangeSignal(parents: readonly (AbortSignal | undefined)[], timeoutMs?: number): ExchangeSignal {
  const linked = parents.filter((s): s is AbortSignal => s !== undefined);
  if (timeoutMs === undefined && linked.length <= 1) return { ...(linked[0] && { signal: linked[0] }), release() {} };
  const controller = new AbortController();
  const abort = (reason: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onParentAbort = (event: Event) => abort((event.target as AbortSignal).reason);
  for (const parent of linked) {
    if (parent.aborted) abort(parent.reason);
    else parent.addEventListener('abort', onParentAbort, { once: true });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadline: AbortController | undefined;
  if (timeoutMs !== undefined) {
    const expired = new AbortController();
    deadline = expired;
    timer = setTimeout(() => {
      const reason = new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError');
      expired.abort(reason);
      abort(reason);
    }, timeoutMs);
  }
  return {
    signal: controller.signal,
    ...(deadline && { deadline: deadline.signal }),
    release() {
      clearTimeout(timer);
      for (const parent of linked) parent.removeEventListener('abort', onParentAbort);
    },
  };
}
