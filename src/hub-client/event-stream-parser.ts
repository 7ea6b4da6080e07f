/**
 * The one Server-Sent Events parser, for the worker's live heads and a
 * mirroring hub's peer stream alike. Parsing follows the WHATWG "event stream
 * interpretation": `event:`, `data:` (joined by newlines), `id:` (remembered,
 * to be sent back as Last-Event-ID), `retry:`, comment lines starting with
 * ':', any of CRLF, LF or CR ending a line, a leading BOM dropped.
 *
 * It is fed bytes as they arrive and is bounded as they arrive: an event
 * (every line up to its blank line) over `maxEventBytes` is refused on the
 * chunk that passes the cap, not at a blank line that may never come. Each
 * byte is looked at once and only the event under way is held, so a peer
 * that splits or withholds its newlines costs time linear in what it sent.
 */
import { HubError } from './errors.ts';

export interface ServerEvent {
  /** 'message' when the event named no type. */
  readonly type: string;
  readonly data: string;
  /** The last event id seen on this stream ('' before any). */
  readonly lastEventId: string;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];
/** What a counting reader keeps of a line: enough for `event: head` and any field name of the protocol. */
const KEPT_LINE_BYTES = 64;

export class EventStreamParser {
  lastEventId = '';
  /** Set by a `retry:` field. */
  retryMs: number | undefined;
  readonly #maxEventBytes: number;
  /** Bytes of the line not yet ended (its pieces as they arrived, at most #keptLineBytes of them). */
  #line: Uint8Array[] = [];
  #keptBytes = 0;
  readonly #keptLineBytes: number;
  #eventBytes = 0;
  #pendingCr = false;
  #scanned = 0;
  /** Bytes seen of a leading BOM (-1 once past the start of the stream). */
  #bom = 0;
  #type = '';
  #data: string[] = [];
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  /**
   * @param maxEventBytes the largest event accepted, its line ends counted.
   * @param options.keepData false for a reader that only counts events by type (a mirror counting heads): each
   *   line is kept only as far as its field name and a short value, so an event near the cap costs no memory.
   */
  constructor(maxEventBytes = Number.POSITIVE_INFINITY, options: { readonly keepData?: boolean } = {}) {
    this.#maxEventBytes = maxEventBytes;
    this.#keptLineBytes = options.keepData === false ? KEPT_LINE_BYTES : Number.POSITIVE_INFINITY;
  }

  /** Bytes of the event under way (0 between events). */
  get pendingBytes(): number {
    return this.#eventBytes;
  }

  /** Bytes the parser has looked at so far: each once (a reader that rescanned pending bytes would count more). */
  get scannedBytes(): number {
    return this.#scanned;
  }

  /**
   * Feeds the next bytes of the stream (text is taken as already decoded, its BOM dropped).
   * @returns the events this chunk completed.
   * @throws HubError AnswerTooLarge once the event under way passes the cap.
   */
  push(chunk: Uint8Array | string): ServerEvent[] {
    let bytes: Uint8Array;
    if (typeof chunk === 'string') {
      bytes = new TextEncoder().encode(chunk);
      if (this.#bom >= 0 && bytes.length > 0) this.#bom = -1;
    } else bytes = this.#skipBom(chunk);
    const events: ServerEvent[] = [];
    if (bytes.length === 0) return events;
    // A CR at the end of the previous chunk may be half of a CRLF.
    let start = this.#pendingCr && bytes[0] === LF ? 1 : 0;
    this.#pendingCr = false;
    this.#scanned += bytes.length - start;
    for (let i = start; i < bytes.length; i++) {
      const c = bytes[i];
      if (c !== LF && c !== CR) continue;
      this.#take(bytes, start, i);
      if (c === CR) {
        if (i + 1 === bytes.length) this.#pendingCr = true;
        else if (bytes[i + 1] === LF) i++;
      }
      start = i + 1;
      const event = this.#endLine();
      if (event) events.push(event);
    }
    this.#take(bytes, start, bytes.length);
    return events;
  }

  #skipBom(chunk: Uint8Array): Uint8Array {
    let at = 0;
    while (this.#bom >= 0 && at < chunk.length) {
      if (chunk[at] !== BOM[this.#bom]) {
        // Not a BOM after all: the bytes taken for one are the start of the first line.
        const taken = new Uint8Array(BOM.slice(0, this.#bom));
        this.#bom = -1;
        if (taken.length > 0) this.#take(taken, 0, taken.length);
        break;
      }
      at++;
      if (++this.#bom === BOM.length) this.#bom = -1;
    }
    return at === 0 ? chunk : chunk.subarray(at);
  }

  #take(bytes: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.#eventBytes += to - from;
    if (this.#eventBytes > this.#maxEventBytes)
      throw new HubError('AnswerTooLarge', `an event over ${this.#maxEventBytes} bytes`);
    const kept = Math.min(to, from + this.#keptLineBytes - this.#keptBytes);
    if (kept > from) {
      this.#line.push(bytes.slice(from, kept));
      this.#keptBytes += kept - from;
    }
  }

  #endLine(): ServerEvent | undefined {
    const line = this.#text();
    this.#eventBytes += 1;
    if (this.#eventBytes > this.#maxEventBytes)
      throw new HubError('AnswerTooLarge', `an event over ${this.#maxEventBytes} bytes`);
    if (line === '') {
      this.#eventBytes = 0;
      return this.#dispatch();
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#type = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  /** The line under way as text, and a fresh line. */
  #text(): string {
    const parts = this.#line;
    const size = this.#keptBytes;
    this.#line = [];
    this.#keptBytes = 0;
    if (parts.length === 0) return '';
    if (parts.length === 1) return this.#decoder.decode(parts[0]);
    const whole = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      whole.set(part, at);
      at += part.length;
    }
    return this.#decoder.decode(whole);
  }

  #dispatch(): ServerEvent | undefined {
    const type = this.#type || 'message';
    const data = this.#data;
    this.#type = '';
    this.#data = [];
    if (data.length === 0) return undefined;
    return { type, data: data.join('\n'), lastEventId: this.lastEventId };
  }
}

/**
 * Reads an event stream's body through `parser`, handing over the events of
 * each chunk as it arrives (an empty list for a chunk that completed none, so
 * a caller can watch the time an event takes). Leaving the loop cancels the body.
 * @throws HubError AnswerTooLarge from the parser, or what reading the body throws.
 */
export async function* eventsOf(
  body: ReadableStream<Uint8Array>,
  parser: EventStreamParser,
): AsyncGenerator<ServerEvent[]> {
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) yield parser.push(chunk);
}
