/** Address groups (IPv4 alone, IPv6 by /64) and the per-address ledger, with explicit addresses. */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ProtocolError } from '../../../protocol/errors.ts';
import { addressGroup } from '../../guard/address-group.ts';
import { FileAddressLedger } from './address-ledger.ts';

describe('addressGroup', () => {
  test.each([
    ['an IPv4 address is its own group', '192.0.2.7', '192.0.2.7'],
    ['an IPv4 client on a dual-stack socket is that IPv4 address', '::ffff:192.0.2.7', '192.0.2.7'],
    ['an IPv6 address is grouped by its /64', '2001:db8:0:1:aaaa:bbbb:cccc:dddd', '2001:db8:0:1::/64'],
    ['a compressed IPv6 address is expanded first', '2001:db8::1', '2001:db8:0:0::/64'],
    ['leading zeros and case do not make another group', '2001:0DB8:0000:0001::ff', '2001:db8:0:1::/64'],
    ['a zone is left out', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['an IPv6 address with a dotted tail', '64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
    ['loopback', '::1', '0:0:0:0::/64'],
    ['no address', undefined, 'unknown'],
  ])('%s', (_, remote, group) => {
    expect(addressGroup(remote)).toBe(group);
  });

  test('every address of one /64 is one group; the next /64 is another', () => {
    const a = addressGroup('2001:db8:0:1::1');
    expect(addressGroup('2001:db8:0:1:ffff:ffff:ffff:ffff')).toBe(a);
    expect(addressGroup('2001:db8:0:2::1')).not.toBe(a);
    expect(addressGroup('192.0.2.8')).not.toBe(addressGroup('192.0.2.7'));
  });
});

describe('AddressLedger', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'murmur-address-ledger-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const open = (limit: number) => FileAddressLedger.open(join(dir, 'address.log'), dir, limit);
  const refusal = async (f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (error) {
      return error instanceof ProtocolError ? error.name : String(error);
    }
    return 'accepted';
  };

  test('one address is refused past its budget; another address is not', async () => {
    const ledger = await open(100);
    const a = addressGroup('198.51.100.1');
    const b = addressGroup('2001:db8:0:1::5');
    await (await ledger.reserve(a, 60))();
    await ledger.charge(a, 60);
    expect(await refusal(() => ledger.reserve(a, 41))).toBe('AddressQuotaExceeded');
    expect(await refusal(() => ledger.reserve(addressGroup('2001:db8:0:1::6'), 101))).toBe('AddressQuotaExceeded');
    const release = await ledger.reserve(b, 100);
    // Held while stored: a concurrent write from the same /64 cannot take the same room.
    expect(await refusal(() => ledger.reserve(addressGroup('2001:db8:0:1::7'), 1))).toBe('AddressQuotaExceeded');
    await release();
    expect(await refusal(() => ledger.reserve(a, 40))).toBe('accepted');
    await ledger.close();
  });

  test('charges survive reopening, and a compacted log keeps every total', async () => {
    let ledger = await open(1000);
    await ledger.charge('198.51.100.1', 10);
    await Promise.all(Array.from({ length: 1500 }, () => ledger.charge('198.51.100.2', 1)));
    await ledger.close();
    ledger = await open(1000);
    const used = ['198.51.100.1', '198.51.100.2', '198.51.100.3'].map((group) => ledger.usedBy(group));
    expect(await Promise.all(used)).toEqual([10, 1500, 0]);
    await ledger.close();
    expect((await readFile(join(dir, 'address.log'), 'utf8')).split('\n')).toEqual([
      '198.51.100.1 10',
      '198.51.100.2 1500',
      '',
    ]);
    ledger = await open(1000);
    expect(await ledger.usedBy('198.51.100.2')).toBe(1500);
    expect(await refusal(() => ledger.reserve('198.51.100.2', 1))).toBe('AddressQuotaExceeded');
    await ledger.close();
  });

  test('a corrupt line stops the start rather than forgetting charges', async () => {
    await appendFile(join(dir, 'address.log'), '198.51.100.1 ten\n');
    await expect(open(100)).rejects.toMatchObject({
      name: 'CorruptStore',
      message: expect.stringMatching(/^address.log: line 1 /),
    });
  });
});
