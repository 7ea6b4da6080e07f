import { describe, expect, test } from 'vitest';
import { BadS3Url, describeS3Settings, parseS3Url } from './s3-url.ts';

describe('parseS3Url', () => {
  test('reads endpoint, region, bucket, keys, prefix and style; s3: is HTTPS, s3+http: plain HTTP', () => {
    expect(parseS3Url('s3://AKIA:se%2Fcr%2Bet@s3.eu-west-1.amazonaws.com/murmur-blobs?region=eu-west-1')).toEqual({
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      bucket: 'murmur-blobs',
      accessKeyId: 'AKIA',
      secretAccessKey: 'se/cr+et',
      prefix: '',
      pathStyle: true,
    });
    const local = parseS3Url('s3+http://key:secret@127.0.0.1:7480/blobs?prefix=hub-a/&style=virtual');
    expect(local).toMatchObject({ endpoint: 'http://127.0.0.1:7480', region: 'us-east-1', prefix: 'hub-a/' });
    expect(local.pathStyle).toBe(false);
  });

  test.each([
    ['not a URL', 'blobs', /not a URL/],
    ['another scheme', 'https://k:s@host/bucket', /scheme is https:/],
    ['no keys', 's3://host/bucket', /access key and a secret/],
    ['a key without a secret', 's3://key@host/bucket', /access key and a secret/],
    ['no bucket', 's3://k:s@host/', /"" is not a bucket name/],
    ['a bucket with capitals', 's3://k:s@host/Blobs', /"Blobs" is not a bucket name/],
    ['a path past the bucket', 's3://k:s@host/bucket/blobs', /bucket alone.*\?prefix=/],
    ['an unknown setting', 's3://k:s@host/bucket?regoin=x', /unknown setting "regoin"/],
    ['a bad region', 's3://k:s@host/bucket?region=EU%20West', /not a region name/],
    ['a bad style', 's3://k:s@host/bucket?style=dns', /style is "dns"/],
    ['a bad %-escape in the secret', 's3://k:se%zzt@host/bucket', /bad %-escape|not a URL/],
  ])('refuses %s with BadS3Url', (_what, url, message) => {
    const refuse = () => parseS3Url(url);
    expect(refuse).toThrow(BadS3Url);
    expect(refuse).toThrow(expect.objectContaining({ name: 'BadS3Url', message: expect.stringMatching(message) }));
  });

  test('no error message quotes the secret', () => {
    for (const url of ['s3://k:hunter2@host/Bad', 's3://k:hunter2@host/bucket?x=1', 'ftp://k:hunter2@host/b']) {
      expect(() => parseS3Url(url)).toThrow(expect.not.objectContaining({ message: expect.stringMatching('hunter2') }));
    }
  });

  test('a BadS3Url is a RangeError, as every other bad setting of the hub is', () => {
    expect(() => parseS3Url('s3://host/bucket')).toThrow(RangeError);
  });
});

test('describeS3Settings gives the URL without the secret', () => {
  const settings = parseS3Url('s3+http://key:hunter2@127.0.0.1:7480/blobs?region=default');
  expect(describeS3Settings(settings)).toBe('s3+http://key@127.0.0.1:7480/blobs');
  expect(describeS3Settings(parseS3Url('s3://k:s@s3.example/b-1'))).toBe('s3://k@s3.example/b-1');
});
