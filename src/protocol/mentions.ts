/**
 * Mentions: `@name@host` in a post body. The sender notifies each mentioned
 * handle, and the recipient keeps a mention only when the verified body
 * really names its own handle, so both sides read mentions the same way.
 */
import { type Handle, formatHandle, parseHandle } from './handle-names.ts';

/**
 * At most this many mentions of one post are notified (a notice
 * flood is the hub's to limit, but a post need not start one).
 */
export const MAX_MENTIONS = 8;

const MENTION = /(?<![\w@/])@([a-z0-9_][a-z0-9_.-]*@(?:\[[0-9a-f:]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?)/gi;

/** The distinct handles mentioned in `body`, normalized (lowercase), in order of appearance. */
export function mentionsIn(body: string): string[] {
  const found: string[] = [];
  for (const match of body.matchAll(MENTION)) {
    // A sentence may end right after a handle: "thanks @bob@hub.example."
    const text = match[1]!.replace(/[.-]+$/, '');
    let handle: Handle;
    try {
      handle = parseHandle(text);
    } catch {
      continue; // looks like an @ but is no handle: plain text
    }
    const formatted = formatHandle(handle);
    if (!found.includes(formatted)) found.push(formatted);
    if (found.length === MAX_MENTIONS) break;
  }
  return found;
}

/** True when `body` mentions `handle` (`name@host`). */
export function mentions(body: string, handle: string): boolean {
  return mentionsIn(body).includes(handle.toLowerCase());
}
