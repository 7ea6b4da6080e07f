/**
 * One request to a hub over an injected fetch, and reading its answer: a 2xx
 * is returned, an error answer becomes a HubError named as the hub names it
 * (`{ error, message }`, src/protocol/routes.ts), a hub that cannot be reached
 * is Offline, one that answers outside the protocol HubUnavailable.
 */
import { isProtocolErrorName } from '../protocol/errors.ts';
import { readBounded } from './bounded-read.ts';
import { HubError } from './errors.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  /**
   * How many times a read whose connection fails is sent again at once. A hub
   * closes kept-alive connections after its keep-alive timeout; a client whose
   * own idle timer runs late (a busy machine) reuses them just after, and every
   * idle connection to that hub was closed at the same moment.
   */
  readonly retries: number;
  /** The signal that, aborting, means the answer took too long (AnswerTooSlow rather than Aborted). */
  readonly deadline?: AbortSignal;
  /** What the time bound was, for the message. */
  readonly within?: string;
}

/**
 * Sends a request; a read (`retries` > 0) whose connection fails is sent
 * again at once: a kept-alive connection the hub closed just as it was reused
 * fails without the hub having seen the request (browsers retry that
 * themselves; Node's fetch does not for a POST, and the batch reads are
 * POSTs). `init` as a function is called for each send (a signed request is
 * signed again for the retry).
 * @throws HubError Offline, Aborted, AnswerTooSlow, HubUnavailable, or the hub's error name.
 */
export async function request(
  fetch: Fetch,
  url: string,
  init: RequestInit | (() => RequestInit),
  hub: string,
  options: RequestOptions = { retries: 0 },
): Promise<Response> {
  const make = typeof init === 'function' ? init : () => init;
  const first = make();
  let res: Response;
  try {
    res = await fetch(url, first).catch(async (error: unknown) => {
      // Each failed send drops its connection; several idle ones may have been closed together.
      for (let retry = 1; ; retry++) {
        if (first.signal?.aborted || retry > options.retries) throw error;
        try {
          return await fetch(url, make());
        } catch (again) {
          error = again;
        }
      }
    });
  } catch (error) {
    throw failureOf(error, hub, first.signal, options, `cannot reach ${hub}`);
  }
  if (res.ok) return res;
  throw await errorOf(res, hub);
}

/**
 * Why a send or a read failed: too slow when the deadline passed, aborted
 * when the caller's signal did, otherwise Offline (with the cause Node names).
 */
export function failureOf(
  error: unknown,
  hub: string,
  signal: AbortSignal | null | undefined,
  options: RequestOptions,
  what: string,
): HubError {
  if (error instanceof HubError) return error;
  if (options.deadline?.aborted)
    return new HubError('AnswerTooSlow', `${hub} did not answer within ${options.within ?? 'its time'}`, { hub });
  if (signal?.aborted) return new HubError('Aborted', 'request aborted', { hub });
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  const detail = cause ? ` (${cause.code ?? cause.message})` : '';
  return new HubError('Offline', `${what}: ${(error as Error).message}${detail}`, { hub });
}

/**
 * A hub's JSON answer, which must be an object (what the route's answer is declared as), read within `max` bytes.
 * @throws HubError HubUnavailable for a body that is not a JSON object, Offline when the body is cut off,
 * AnswerTooLarge past `max`.
 */
export async function jsonOf(
  res: Response,
  hub: string,
  max: number,
  what: string,
  fail: (e: unknown) => HubError,
): Promise<Record<string, unknown>> {
  let body: unknown;
  let text: string;
  try {
    text = new TextDecoder().decode(await readBounded(res, max, `${hub} sent ${what}`));
  } catch (error) {
    throw fail(error);
  }
  try {
    body = JSON.parse(text);
  } catch {
    throw new HubError('HubUnavailable', `${hub} answered ${what} that is not JSON`, { hub });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HubError('HubUnavailable', `${hub} answered ${what} in JSON that is not an object`, { hub });
  }
  return body as Record<string, unknown>;
}

/** An error answer as a HubError: the hub's name when it gave one, else HubUnavailable. */
async function errorOf(res: Response, hub: string): Promise<HubError> {
  let body: unknown;
  try {
    // An error body is small; a larger one is not read to its end.
    body = JSON.parse(new TextDecoder().decode(await readBounded(res, 64 * 1024, 'an error answer')));
  } catch {
    body = undefined;
  }
  const { error, message } = (typeof body === 'object' && body !== null ? body : {}) as {
    error?: unknown;
    message?: unknown;
  };
  const text = typeof message === 'string' ? message : `${hub} answered ${res.status} ${res.statusText}`;
  if (isProtocolErrorName(error)) return new HubError(error, text, { status: res.status, hub });
  return new HubError('HubUnavailable', text, { status: res.status, hub });
}
