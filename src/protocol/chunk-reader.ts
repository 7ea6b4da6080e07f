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
   * The next `n` bytes, as a copy of their own (so a stored result never keeps a whole chunk alive).
   * @throws ProtocolError Truncated when the stream ends first
   */
  async read(n: number): Promise<Uint8Array> {
    await this.#fill(n);
    if (this.#buffered < n)
      throw new ProtocolError('Truncated', `the file ends ${n - this.#buffered} bytes early`, {
        missing: n - this.#buffered,
      });
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#queue[0]!;
      const take = Math.min(n - filled, chunk.length - this.#at);
      out.set(chunk.subarray(this.#at, this.#at + take), filled);
      filled += take;
      this.#at += take;
      if (this.#at === chunk.length) {
        this.#tap?.(chunk);
        this.#queue.shift();
        this.#at = 0;
      }
    }
    this.#buffered -= n;
    return out;
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
