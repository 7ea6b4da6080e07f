/**
 * Exact reads over a stream of byte chunks of any sizes (a file read stream, a
 * Blob's stream, a test's random cuts), for decoders of streamed formats. It
 * holds only the chunks not yet read, so memory is bounded by the largest
 * read asked for, never by the stream.
 */
import { ProtocolError } from './errors.ts';

export class ChunkReader {
  readonly #source: AsyncIterator<Uint8Array>;
  /** Chunks received and not yet wholly read; the first is read from `#at`. */
  readonly #queue: Uint8Array[] = [];
  #at = 0;
  #buffered = 0;
  #done = false;
  /** Given each chunk once wholly read, until `untap`. */
  #tap: ((bytes: Uint8Array) => void) | undefined;

  /** @param tap given every byte read, in order, in spans as large as the chunks (a checksum's update) */
  constructor(source: AsyncIterable<Uint8Array>, tap?: (bytes: Uint8Array) => void) {
    this.#source = source[Symbol.asyncIterator]();
    this.#tap = tap;
  }

  /** The next byte, not read yet; undefined at the end. */
  async peek(): Promise<number | undefined> {
    await this.#fill(1);
    return this.#buffered === 0 ? undefined : this.#queue[0]![this.#at];
  }

  /** Gives the tap every byte read so far, and nothing after. */
  untap(): void {
    const first = this.#queue[0];
    if (first && this.#at > 0) this.#tap?.(first.subarray(0, this.#at));
    this.#tap = undefined;
  }

  /** True when every byte has been read and the stream has ended. */
  async atEnd(): Promise<boolean> {
    await this.#fill(1);
    return this.#buffered === 0;
  }

  /**
   * The next `n` bytes: a view into the chunk that holds them, or a copy when they span chunks. A view keeps its
   * chunk alive, so what keeps many results copies them (compactBytes, ownBytes); and a source must not reuse a
   * chunk's buffer once it has yielded it (a file's or a Blob's stream never does).
   * @throws ProtocolError Truncated when the stream ends first
   */
  async read(n: number): Promise<Uint8Array> {
    await this.#fill(n);
    if (this.#buffered < n)
      throw new ProtocolError('Truncated', `the file ends ${n - this.#buffered} bytes early`, {
        missing: n - this.#buffered,
      });
    return this.#take(n);
  }

  /**
   * The next `n` bytes when they are already buffered, else undefined (nothing read): most records of a file
   * lie inside the chunk at hand, and reading them without an await saves a turn of the event loop each.
   */
  readBuffered(n: number): Uint8Array | undefined {
    return this.#buffered >= n ? this.#take(n) : undefined;
  }

  /** The byte `ahead` bytes on when it is in the chunk at hand, else undefined (see peek for the stream's). */
  peekBuffered(ahead = 0): number | undefined {
    const chunk = this.#queue[0];
    return chunk && this.#at + ahead < chunk.length ? chunk[this.#at + ahead] : undefined;
  }

  /** Passes over the next `n` bytes, buffered (see holds): a record's prefix, once peeked, needs no copy. */
  skipBuffered(n: number): void {
    if (this.#buffered < n) throw new RangeError(`${n} bytes asked of ${this.#buffered} buffered`);
    this.#buffered -= n;
    while (n > 0) {
      const chunk = this.#queue[0]!;
      const step = Math.min(n, chunk.length - this.#at);
      this.#at += step;
      n -= step;
      if (this.#at === chunk.length) this.#drop();
    }
  }

  /** True when the next `n` bytes are buffered (readBuffered(n) gives them). */
  holds(n: number): boolean {
    return this.#buffered >= n;
  }

  #take(n: number): Uint8Array {
    if (n === 0) return new Uint8Array();
    const chunk = this.#queue[0]!;
    let out: Uint8Array;
    if (chunk.length - this.#at >= n) {
      // Within one chunk: a view. A copy here was the reader's largest cost (an ArrayBuffer per record, ~2.5 µs).
      out = chunk.subarray(this.#at, this.#at + n);
      this.#at += n;
      if (this.#at === chunk.length) this.#drop();
    } else {
      out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        const next = this.#queue[0]!;
        const take = Math.min(n - filled, next.length - this.#at);
        out.set(next.subarray(this.#at, this.#at + take), filled);
        filled += take;
        this.#at += take;
        if (this.#at === next.length) this.#drop();
      }
    }
    this.#buffered -= n;
    return out;
  }

  /** The first chunk, wholly read: to the tap, and out of the queue. */
  #drop(): void {
    this.#tap?.(this.#queue[0]!);
    this.#queue.shift();
    this.#at = 0;
  }

  /** Stops the source early (a decoder that refused the rest). */
  async cancel(): Promise<void> {
    if (!this.#done) {
      this.#done = true;
      await this.#source.return?.();
    }
  }

  async #fill(n: number): Promise<void> {
    while (this.#buffered < n && !this.#done) {
      const next = await this.#source.next();
      if (next.done) {
        this.#done = true;
        return;
      }
      if (!(next.value instanceof Uint8Array)) throw new TypeError('a chunk stream yields Uint8Array chunks');
      if (next.value.length === 0) continue;
      this.#queue.push(next.value);
      this.#buffered += next.value.length;
    }
  }
}
