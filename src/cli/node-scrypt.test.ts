import { expect, test } from 'vitest';
import * as runtime from '../runtime/scrypt.ts';
import * as swapped from './node-scrypt.ts';

test('the module the CLI bundle swaps in exports what runtime/scrypt.ts does', () => {
  expect(Object.keys(swapped).sort()).toEqual(Object.keys(runtime).sort());
});

test("its keys are the runtime module's: RFC 7914's vector, and the app's own cost (N = 2^15)", async () => {
  // RFC 7914 section 12, the second vector: "password", "NaCl", N = 1024, r = 8, p = 16, 64 bytes.
  const rfc = [new TextEncoder().encode('password'), new TextEncoder().encode('NaCl')] as const;
  const expected =
    'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162' +
    '2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';
  for (const impl of [runtime, swapped])
    expect(Buffer.from(await impl.scrypt(...rfc, { N: 1024, r: 8, p: 16 }, 64)).toString('hex')).toBe(expected);
  const salt = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
  const password = new TextEncoder().encode('correct horse battery staple');
  const cost = { N: 2 ** 15, r: 8, p: 1 };
  expect(await swapped.scrypt(password, salt, cost, 32)).toEqual(await runtime.scrypt(password, salt, cost, 32));
});
