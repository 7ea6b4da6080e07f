/** The words a move shows: each step while it runs, and where the feed lives after, pointer left or not. */
import { expect, test } from 'vitest';
import { moveOutcomeWords, moveStepWords } from './MoveHubSection.tsx';

const to = 'https://c.example';

test('each step of a move in words', () => {
  expect(moveStepWords({ step: 'claiming' }, 'alice@a.example', to)).toBe('Claiming alice on https://c.example…');
  expect(moveStepWords({ step: 'claiming' }, undefined, to)).toBe('Reaching https://c.example…');
  expect(moveStepWords({ step: 'copying', done: 0, total: 0 }, undefined, to)).toBe(
    'Copying your feed to https://c.example…',
  );
  expect(moveStepWords({ step: 'copying', done: 3, total: 12 }, undefined, to)).toBe(
    'Copying your feed to https://c.example: 3 of 12',
  );
  expect(moveStepWords({ step: 'pointing' }, undefined, to)).toBe(
    'Leaving a signed pointer to your new hub at the old one…',
  );
});

test('the outcome names the new home and handle, and says whether the old hub points followers there', () => {
  expect(moveOutcomeWords({ hubs: [to], handle: 'alice@c.example', pointerLeft: true }, 'https://a.example')).toBe(
    'Moved to https://c.example. Your handle is now alice@c.example. https://a.example points your followers ' +
      'here: they keep receiving your posts.',
  );
  expect(moveOutcomeWords({ hubs: [to], pointerLeft: false }, 'https://a.example')).toBe(
    'Moved to https://c.example. https://a.example could not be reached: it is left a pointer to your new hub ' +
      'at the first sync after it answers again; until then, followers who read only that hub miss new posts.',
  );
});
