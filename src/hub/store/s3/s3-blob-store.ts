/**
 * Blobs as objects in an S3 bucket (BlobStore, hub-store.ts), for hubs that
 * share their data (issue 16). Each blob is the object `prefix + id`, never
 * rewritten: a put is conditional (`If-None-Match: *`), so of racing uploads
 * of one id exactly one creates it and the rest learn it is held (412),
 * without a read first. Reads stream the object's body straight through in
 * chunks of at most READ_CHUNK_BYTES, checked against its declared length
 * (sized-body.ts), holding one S3 connection per open reader until it is
 * read to the end or closed.
 *
 * S3 answers other than the expected 404 and 412 (refused credentials, a
 * missing bucket, a service that is down) are StoreUnavailable with the SDK's
 * error as the cause: the hub must fail the request, not report a blob absent.
 */
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectId } from '../../../protocol/ids.ts';
import type { BlobReader, BlobStore } from '../hub-store.ts';
import { StoreUnavailable } from '../store-errors.ts';
import { type S3Settings, describeS3Settings } from './s3-url.ts';
import { sizedChunks } from './sized-body.ts';

/**
 * S3 connections kept per store. Each open reader holds one while its answer is written, so this bounds how
 * many blob answers stream at once; a request beyond it waits for a connection to come free.
 */
const MAX_CONNECTIONS = 256;
/** Give up on connecting, and on a request whose answer stops arriving, after these (a stalled S3 is down). */
const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;

/** An S3 error's HTTP status and name, when S3 answered at all. */
function statusOf(error: unknown): { status: number | undefined; code: string } {
  const e = error as { $metadata?: { httpStatusCode?: number }; name?: string; Code?: string };
  return { status: e.$metadata?.httpStatusCode, code: e.Code ?? e.name ?? 'Error' };
}

export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #where: string;

  /** A store over the bucket in `settings`, without reaching S3 yet (open() checks the bucket first). */
  constructor(settings: S3Settings) {
    this.#client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.pathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // The newer SDK default adds CRC checksums that not every S3-compatible service takes (Ceph before
      // Squid, older MinIO); Signature v4 signs the payload's sha256 in any case, and the hub checked the hash.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: CONNECT_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        httpAgent: { keepAlive: true, maxSockets: MAX_CONNECTIONS },
        httpsAgent: { keepAlive: true, maxSockets: MAX_CONNECTIONS },
      },
    });
    this.#bucket = settings.bucket;
    this.#prefix = settings.prefix;
    this.#where = describeS3Settings(settings);
  }

  /**
   * A store over the bucket in `settings`, once S3 has answered that the bucket is there and these
   * credentials may use it, so a wrong setting stops the hub at start rather than at its first upload.
   * @throws StoreUnavailable when S3 cannot be reached, refuses the credentials, or has no such bucket.
   */
  static async open(settings: S3Settings): Promise<S3BlobStore> {
    const store = new S3BlobStore(settings);
    try {
      await store.#client.send(new HeadBucketCommand({ Bucket: settings.bucket }));
    } catch (error) {
      store.close();
      throw store.#unavailable('checking the bucket', error);
    }
    return store;
  }

  #key(id: ObjectId): string {
    return this.#prefix + id;
  }

  #unavailable(doing: string, error: unknown): StoreUnavailable {
    const { status, code } = statusOf(error);
    const answer = status === undefined ? `failed (${code})` : `answered ${status} ${code}`;
    return new StoreUnavailable(`S3 at ${this.#where} ${answer} when ${doing}`, { cause: error });
  }

  async has(id: ObjectId): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(id) }));
      return true;
    } catch (error) {
      // A HEAD answer has no body, so a 404 for a missing bucket looks like a missing blob; open() checked it.
      if (statusOf(error).status === 404) return false;
      throw this.#unavailable(`asking for blob ${id}`, error);
    }
  }

  async find(id: ObjectId): Promise<Uint8Array | undefined> {
    const got = await this.#get(id);
    if (!got) return undefined;
    const { body, size } = got;
    // Gathered as it arrives, not allocated from the declared size: that is checked, not trusted.
    const chunks: Uint8Array[] = [];
    try {
      for await (const chunk of sizedChunks(body, size)) chunks.push(chunk);
    } catch (error) {
      throw this.#unavailable(`reading blob ${id}`, error);
    } finally {
      body.destroy();
    }
    const whole = Buffer.concat(chunks, size);
    // A plain Uint8Array, as the other stores answer (a Buffer compares unequal to one in tests).
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.length);
  }

  async openRead(id: ObjectId): Promise<BlobReader | undefined> {
    const got = await this.#get(id);
    if (!got) return undefined;
    const { body, size } = got;
    const unavailable = (error: unknown) => this.#unavailable(`reading blob ${id}`, error);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        yield* sizedChunks(body, size);
      } catch (error) {
        throw unavailable(error);
      } finally {
        body.destroy();
      }
    }
    // Destroying the body closes its connection: a reader given up half-way must not keep a socket stalled.
    return { size, chunks: chunks(), close: async () => void body.destroy() };
  }

  async put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'> {
    const input = {
      Bucket: this.#bucket,
      Key: this.#key(id),
      Body: bytes,
      ContentLength: bytes.length,
      ContentType: 'application/octet-stream',
      IfNoneMatch: '*',
    };
    // AWS answers 409 when another conditional write of the key is under way; once it is done, ours is a 412.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#client.send(new PutObjectCommand(input));
        return 'created';
      } catch (error) {
        const { status } = statusOf(error);
        if (status === 412) return 'held';
        if (status === 409 && attempt < 5) continue;
        throw this.#unavailable(`storing blob ${id}`, error);
      }
    }
  }

  /** For health(): S3 holds the blobs; check() asks whether the bucket answers now. */
  readonly service = {
    kind: 's3',
    check: async (): Promise<void> => {
      try {
        await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }));
      } catch (error) {
        throw this.#unavailable('checking the bucket', error);
      }
    },
  };

  /** Lets go of the store's connections; readers still open fail. */
  close(): void {
    this.#client.destroy();
  }

  /** The object's body and its length as S3 declares it, or undefined when there is no such object. */
  async #get(id: ObjectId): Promise<{ body: Readable; size: number } | undefined> {
    let got: GetObjectCommandOutput;
    try {
      got = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(id) }));
    } catch (error) {
      // Only NoSuchKey means the blob is absent: a 404 NoSuchBucket is a store that is not there.
      const { status, code } = statusOf(error);
      if (status === 404 && code === 'NoSuchKey') return undefined;
      throw this.#unavailable(`fetching blob ${id}`, error);
    }
    const body = got.Body;
    if (!(body instanceof Readable)) {
      throw new StoreUnavailable(`S3 at ${this.#where} answered blob ${id} without a body stream`);
    }
    const size = got.ContentLength;
    if (size === undefined || !Number.isSafeInteger(size) || size < 0) {
      body.destroy();
      throw new StoreUnavailable(`S3 at ${this.#where} answered blob ${id} without a Content-Length`);
    }
    return { body, size };
  }
}
