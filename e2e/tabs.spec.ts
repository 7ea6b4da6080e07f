/**
 * Eight tabs of one browser profile on one pseudonym, all posting at once:
 * commits from every tab are serialized through one IndexedDB (a Web Lock
 * per feed), one tab leads the pushing, and the others learn of changes over
 * BroadcastChannel. Checked on the hub by walking the DAG as an independent
 * client: every post exactly once, none lost, one linear history (no two
 * commits share a seq).
 */
import { decodeCommit, verifyCommit } from '../src/protocol/commits.ts';
import type { CommitId, PseudonymId } from '../src/protocol/ids.ts';
import { nobleVerify } from '../src/protocol/keys.ts';
import type { Page } from '@playwright/test';
import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';
import { headOnHubIds, postsOnHub, resolveHandle } from './tabs-inspect.ts';

const TABS = 8;
const POSTS_PER_TAB = 3;

/** Every commit's seq under the hub's head (verified). */
async function seqsOnHub(hubUrl: string, author: PseudonymId): Promise<number[]> {
  const seqs: number[] = [];
  const seen = new Set<string>();
  const queue: CommitId[] = [...(await headOnHubIds(hubUrl, author))];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const bytes = new Uint8Array(await (await fetch(`${hubUrl}/v1/blobs/${id}`)).arrayBuffer());
    const signed = decodeCommit(bytes, id);
    if (!(await verifyCommit(signed, nobleVerify))) throw new Error(`commit ${id} fails`);
    seqs.push(signed.commit.seq);
    queue.push(...signed.commit.parents);
  }
  return seqs;
}

async function badges(pages: readonly Page[]): Promise<string> {
  const texts = await Promise.all(
    pages.map(async (page) => {
      const badge = page.getByTestId('sync-status');
      return (
        `"${await badge.textContent({ timeout: 5_000 }).catch(() => '?')}" ` +
        `(${await badge.getAttribute('title', { timeout: 5_000 }).catch(() => '?')})`
      );
    }),
  );
  return texts.map((text, i) => `tab ${i}: ${text}`).join('; ');
}

test(`${TABS} tabs post ${POSTS_PER_TAB} times each at once: each once on the hub, none lost, no seq twice`, async ({
  browser,
  hubA,
}) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  const handle = await onboard(first, hubA, 'Alice', 'alice');
  const me = await resolveHandle(hubA.url, handle);
  const pages = [first];
  for (let i = 1; i < TABS; i++) {
    const page = await context.newPage();
    await page.goto(hubA.url);
    await expect(page.getByTestId('current-handle')).toHaveText(handle);
    pages.push(page);
  }

  const bodies = pages.flatMap((_, t) => Array.from({ length: POSTS_PER_TAB }, (_, i) => `tab ${t} says ${i}`));
  await Promise.all(
    pages.map(async (page, t) => {
      for (let i = 0; i < POSTS_PER_TAB; i++) await publish(page, `tab ${t} says ${i}`);
    }),
  );

  // On failure, what each tab says (its badge and its title) tells a stalled sync from a slow one.
  await expect
    .poll(async () => (await postsOnHub(hubA.url, me)).length)
    .toBe(bodies.length)
    .catch(async (error: unknown) => {
      throw new Error(`${String(error)}\nthe tabs say now: ${await badges(pages)}`);
    });
  const onHub = (await postsOnHub(hubA.url, me)).map((p) => p.body).sort();
  expect(onHub).toEqual([...bodies].sort()); // each exactly once, none lost
  const seqs = await seqsOnHub(hubA.url, me);
  expect(new Set(seqs).size).toBe(seqs.length); // no two commits share a seq
  expect(Math.max(...seqs)).toBe(seqs.length); // 1..n: one linear history, no merge needed

  // Every tab hears of the others' work: all say synced, and a last post shows in every tab.
  for (const page of pages) await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  await publish(pages[TABS - 1]!, 'the last word');
  for (const page of pages) await expect(postWithBody(page, 'the last word')).toHaveCount(1);
  await expect.poll(async () => (await postsOnHub(hubA.url, me)).length).toBe(bodies.length + 1);
  await context.close();
});
