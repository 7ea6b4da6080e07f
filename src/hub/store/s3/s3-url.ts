/**
 * Where an S3 blob store lives, written as one URL so it fits a flag or an
 * environment variable (MURMUR_BLOBS, issue 16):
 *
 *   s3://ACCESS:SECRET@host[:port]/bucket[?region=R&prefix=P&style=path|virtual]
 *   s3+http://ACCESS:SECRET@127.0.0.1:7480/bucket     (plain HTTP, for a service on the machine)
 *
 * `s3://` speaks HTTPS. The access key and secret are percent-encoded (a
 * secret's `/` and `+` as %2F and %2B). `region` defaults to us-east-1 (what
 * AWS signs with when none is given; Ceph and MinIO accept any); `prefix`
 * goes before every object's key, so one bucket can hold several hubs;
 * `style=path` (the default) addresses the bucket in the path, which every
 * S3-compatible service answers, `style=virtual` in the host name.
 */

/** The settings of an S3 blob store. */
export interface S3Settings {
  /** http(s)://host[:port], without a path. */
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Put before each blob's id to make its key ('' for none). */
  readonly prefix: string;
  /** The bucket in the path (true) or in the host name. */
  readonly pathStyle: boolean;
}

/** A URL that does not describe an S3 blob store; the message says what is wrong and never quotes the secret. */
export class BadS3Url extends RangeError {
  override readonly name = 'BadS3Url';
}

const SCHEMES: Readonly<Record<string, string>> = { 's3:': 'https:', 's3+http:': 'http:' };
const PARAMS = new Set(['region', 'prefix', 'style']);
/** S3's rules for a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, a letter or digit at each end. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9-]{1,64}$/;

/**
 * Reads the settings of an S3 blob store from `text` (the form is in this module's header).
 * @throws BadS3Url naming what is wrong.
 */
export function parseS3Url(text: string): S3Settings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BadS3Url('the S3 setting is not a URL (expected s3://ACCESS:SECRET@host[:port]/bucket)');
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme) throw new BadS3Url(`the S3 URL's scheme is ${url.protocol} where s3: or s3+http: was expected`);
  if (!url.hostname) throw new BadS3Url('the S3 URL names no host');
  if (!url.username || !url.password) {
    throw new BadS3Url('the S3 URL needs an access key and a secret before the host (s3://ACCESS:SECRET@host/bucket)');
  }
  if (url.hash) throw new BadS3Url('the S3 URL has a #fragment; a secret containing # must be written %23');
  const bucket = url.pathname.replace(/^\//, '');
  if (!BUCKET.test(bucket)) {
    throw new BadS3Url(
      bucket.includes('/')
        ? `the S3 URL's path must be the bucket alone, not "${bucket}" (a key prefix goes in ?prefix=)`
        : `"${bucket}" is not a bucket name (3 to 63 of a-z, 0-9, "." and "-", a letter or digit at each end)`,
    );
  }
  for (const key of url.searchParams.keys()) {
    if (!PARAMS.has(key))
      throw new BadS3Url(`the S3 URL has an unknown setting "${key}" (known: region, prefix, style)`);
  }
  const region = url.searchParams.get('region') ?? 'us-east-1';
  if (!REGION.test(region)) throw new BadS3Url(`"${region}" is not a region name (like eu-west-1)`);
  const style = url.searchParams.get('style') ?? 'path';
  if (style !== 'path' && style !== 'virtual') throw new BadS3Url(`style is "${style}"; expected path or virtual`);
  return {
    endpoint: `${scheme}//${url.host}`,
    region,
    bucket,
    accessKeyId: decode(url.username, 'access key'),
    secretAccessKey: decode(url.password, 'secret'),
    prefix: url.searchParams.get('prefix') ?? '',
    pathStyle: style === 'path',
  };
}

/** The settings as a URL with the secret left out, for logs and error messages. */
export function describeS3Settings(settings: S3Settings): string {
  const scheme = settings.endpoint.startsWith('https:') ? 's3' : 's3+http';
  const host = settings.endpoint.replace(/^https?:\/\//, '');
  return `${scheme}://${encodeURIComponent(settings.accessKeyId)}@${host}/${settings.bucket}`;
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BadS3Url(`the S3 URL's ${what} has a bad %-escape`);
  }
}
