/**
 * An object's body as S3 sends it, read against the length S3 declared for
 * it: a store must not hand out a blob shorter or longer than the object, so
 * a body that ends early or runs on is an error, whatever the HTTP layer
 * below let through.
 */
import { READ_CHUNK_BYTES } from '../../read-buffers.ts';

/** A body whose bytes add up to other than its declared length; `seen` is what had arrived by then. */
export class BodyLengthMismatch extends Error {
  override readonly name = 'BodyLengthMismatch';
}

/**
 * The bytes of `pieces` (a body of `size` declared bytes) as chunks of at most READ_CHUNK_BYTES: views of the
 * pieces, nothing copied. Nothing past `size` is yielded.
 * @throws BodyLengthMismatch once the pieces pass `size`, or end short of it.
 */
export async function* sizedChunks(pieces: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const piece of pieces) {
    seen += piece.length;
    if (seen > size) throw new BodyLengthMismatch(`the body ran past its declared ${size} bytes (${seen} so far)`);
    // Pieces are socket reads (up to 64 KiB); views keep each chunk within the bound.
    for (let at = 0; at < piece.length; at += READ_CHUNK_BYTES) yield piece.subarray(at, at + READ_CHUNK_BYTES);
  }
  if (seen !== size) throw new BodyLengthMismatch(`the body ended after ${seen} of its declared ${size} bytes`);
}
