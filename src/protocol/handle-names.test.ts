/**
 * currentHandle: the handle a person who moved hubs is shown by (PROTOCOL.md, Moving hubs), from the handle
 * known and the hubs its newest signed profile names. Each case names what it guards.
 */
import { expect, test } from 'vitest';
import { currentHandle } from './handle-names.ts';

const cases: readonly { comment: string; known: string | undefined; hubs: unknown; want: string | undefined }[] = [
  {
    comment: 'moved: the same name on the new home',
    known: 'alice@a.example',
    hubs: ['https://c.example'],
    want: 'alice@c.example',
  },
  {
    comment: 'a port is part of the host',
    known: 'alice@127.0.0.1:4001',
    hubs: ['http://127.0.0.1:4003', 'http://127.0.0.1:4001'],
    want: 'alice@127.0.0.1:4003',
  },
  {
    comment: 'only the first hub counts: the home',
    known: 'alice@a.example',
    hubs: ['https://a.example', 'https://c.example'],
    want: 'alice@a.example',
  },
  { comment: 'no signed hubs: as known', known: 'alice@a.example', hubs: undefined, want: 'alice@a.example' },
  { comment: 'an empty list: as known', known: 'alice@a.example', hubs: [], want: 'alice@a.example' },
  { comment: 'no handle known: none made up', known: undefined, hubs: ['https://c.example'], want: undefined },
  { comment: 'a hub that is no URL: as known', known: 'alice@a.example', hubs: ['c.example'], want: 'alice@a.example' },
  { comment: 'a hub that is no string: as known', known: 'alice@a.example', hubs: [7], want: 'alice@a.example' },
  {
    comment: 'a known handle that does not parse: shown as it is',
    known: 'not a handle',
    hubs: ['https://c.example'],
    want: 'not a handle',
  },
];

for (const c of cases) {
  test(c.comment, () => {
    expect(currentHandle(c.known, c.hubs)).toBe(c.want);
  });
}
