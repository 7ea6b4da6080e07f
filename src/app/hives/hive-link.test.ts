/** A hive's link reads back as the hive at its hubs, whole or as its hash; anything else is no hive link. */
import { expect, test } from 'vitest';
import { parsePseudonymId } from '../../protocol/ids.ts';
import { hiveLinkOf, parseHiveLink } from './hive-link.ts';

const hive = parsePseudonymId('ab'.repeat(32));
const hubs = ['http://127.0.0.1:4000', 'https://hub.example'];

test('a link made for a hive opens that hive at its hubs, home first, whole or as its hash, spaces around it', () => {
  const link = hiveLinkOf('http://127.0.0.1:4000/', { hive, hubs });
  expect(link).toBe(
    `http://127.0.0.1:4000/#/hives/${hive}?hub=http%3A%2F%2F127.0.0.1%3A4000&hub=https%3A%2F%2Fhub.example`,
  );
  expect(parseHiveLink(`  ${link}\n`)).toEqual({ name: 'hive', hive, hubs });
  expect(parseHiveLink(link.slice(link.indexOf('#')))).toEqual({ name: 'hive', hive, hubs });
});

test('a link without a hub, to another screen, or not a link at all names no hive', () => {
  expect(parseHiveLink(`#/hives/${hive}`)).toBeUndefined();
  expect(parseHiveLink(`#/hives/${hive}?hub=ftp://x.test`)).toBeUndefined();
  expect(parseHiveLink('http://127.0.0.1:4000/#/mists')).toBeUndefined();
  expect(parseHiveLink('herons')).toBeUndefined();
});
