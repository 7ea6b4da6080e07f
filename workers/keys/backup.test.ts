/**
 * The backup container against its committed vector (workers/keys/vectors/backup.json):
 * exact bytes from fixed inputs, the key derivation re-checked with node:crypto,
 * and every invalid case failing with the error it names.
 */
import { hkdfSync, scryptSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { fromHex, fromUtf8, toHex, utf8 } from '../../src/protocol/bytes.ts';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { backupFileName, decodeBackup, encodeBackup } from './backup.ts';
import { SCRYPT_DEFAULT, isAcceptedScrypt } from './passphrase.ts';
import vectors from './vectors/backup.json' with { type: 'json' };

const [valid] = vectors.valid;
if (!valid) throw new Error('no valid vector');
const contents = { ...valid.contents, id: valid.contents.id as PseudonymId, secretKey: fromHex(valid.secretKey) };

type Edit = { field: string; flip?: number; by?: number; value?: number };

function edited(file: string, edit: Edit | undefined): Uint8Array {
  if (!edit) return utf8(file);
  if (edit.field === 'garbage') return utf8('hello, this is not a backup');
  // The fields an edit reaches; the rest of the file passes through as parsed.
  const json = JSON.parse(file) as {
    ciphertext: string;
    aead: { nonce: string };
    version: number | undefined;
    kdf: { N: number | undefined };
  };
  const flipHex = (hex: string, at: number) =>
    hex.slice(0, at * 2) +
    (parseInt(hex.slice(at * 2, at * 2 + 2), 16) ^ 1).toString(16).padStart(2, '0') +
    hex.slice(at * 2 + 2);
  if (edit.field === 'ciphertext') json.ciphertext = flipHex(json.ciphertext, edit.flip!);
  if (edit.field === 'nonce') json.aead.nonce = flipHex(json.aead.nonce, edit.flip!);
  if (edit.field === 'truncate') json.ciphertext = json.ciphertext.slice(0, -2 * edit.by!);
  if (edit.field === 'version') json.version = edit.value;
  if (edit.field === 'N') json.kdf.N = edit.value;
  return encodeCanonical(json);
}

describe('backup vector', () => {
  test(valid.comment, async () => {
    const bytes = await encodeBackup(contents, valid.passphrase, {
      salt: fromHex(valid.salt),
      nonce: fromHex(valid.nonce),
    });
    expect(fromUtf8(bytes)).toBe(valid.file);
    const back = await decodeBackup(bytes, valid.passphrase);
    expect({ ...back, secretKey: toHex(back.secretKey) }).toEqual({ ...valid.contents, secretKey: valid.secretKey });
  });

  test('the key derivation matches node:crypto scrypt + HKDF-SHA256, and the ciphertext opens with that key', () => {
    const file = JSON.parse(valid.file) as { check: string; ciphertext: string; aead: { nonce: string } };
    const master = scryptSync(valid.passphrase, fromHex(valid.salt), 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    const derive = (info: string, n: number) => new Uint8Array(hkdfSync('sha256', master, new Uint8Array(0), info, n));
    expect(toHex(derive('murmur backup v1 check', 16))).toBe(file.check);
    const { ciphertext, ...header } = JSON.parse(valid.file) as Record<string, unknown>;
    void ciphertext;
    const plain = xchacha20poly1305(
      derive('murmur backup v1 key', 32),
      fromHex(file.aead.nonce),
      encodeCanonical(header),
    ).decrypt(fromHex(file.ciphertext));
    expect(JSON.parse(fromUtf8(plain))).toMatchObject({ secretKey: valid.secretKey, id: valid.contents.id });
  });

  for (const bad of vectors.invalid) {
    test(`${bad.comment} -> ${bad.error}`, async () => {
      await expect(
        decodeBackup(edited(valid.file, (bad as { edit?: Edit }).edit), bad.passphrase),
      ).rejects.toMatchObject({ name: bad.error });
    });
  }
});

test('fresh randomness gives a different file each time; both open', async () => {
  const r = () => ({
    salt: crypto.getRandomValues(new Uint8Array(16)),
    nonce: crypto.getRandomValues(new Uint8Array(24)),
  });
  const [a, b] = await Promise.all([encodeBackup(contents, 'pw', r()), encodeBackup(contents, 'pw', r())]);
  expect(toHex(a)).not.toBe(toHex(b));
  expect((await decodeBackup(b, 'pw')).id).toBe(contents.id);
  expect(fromUtf8(a)).not.toContain(valid.secretKey);
});

test('a file name that names neither the id nor anything unsafe for a file system', () => {
  expect(backupFileName('Alice / Bob:*', Date.UTC(2026, 10, 23))).toBe('murmur-Alice-Bob-2026-11-23.murmur');
  expect(backupFileName('///', 0)).toBe('murmur-pseudonym-1970-01-01.murmur');
});

test("scrypt parameters a file may ask for: the app's own, up to 256 MiB of memory, never 1 GiB", () => {
  expect(isAcceptedScrypt(SCRYPT_DEFAULT)).toBe(true);
  expect(isAcceptedScrypt({ N: 2 ** 18, r: 8, p: 1 })).toBe(true); // 128 * N * r = 256 MiB
  expect(isAcceptedScrypt({ N: 2 ** 19, r: 8, p: 1 })).toBe(false);
  expect(isAcceptedScrypt({ N: 2 ** 20, r: 8, p: 1 })).toBe(false); // 1 GiB: a hostile file's denial of service
  expect(isAcceptedScrypt({ N: 2 ** 13, r: 8, p: 1 })).toBe(false); // too weak
  expect(isAcceptedScrypt({ N: 3 * 2 ** 14, r: 8, p: 1 })).toBe(false); // not a power of two
});
