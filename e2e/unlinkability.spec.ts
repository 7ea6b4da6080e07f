/**
 * Two pseudonyms in one browser profile must not be linkable by what the
 * app sends: every request the pages and their workers make is recorded,
 * and no single request (URL, headers, body) may name both pseudonyms —
 * their ids, handles, signed-request authors, or their commits and posts —
 * and each live stream names one pseudonym's follow set only. Each
 * pseudonym's settings (its inbox rule, its directory listing, its lenses),
 * the directory it reads and a post sealed for its approved followers are
 * among the requests checked.
 */
import type { Page, Request } from '@playwright/test';
import { fromUtf8, toHex } from '../src/protocol/bytes.ts';
import type { PseudonymId } from '../src/protocol/ids.ts';
import { expect, followHandle, onboard, publish, test } from './fixtures.ts';
import { commitsOnHub, resolveHandle } from './hub-inspect.ts';

const heldOn = async (hub: string, path: string) => JSON.stringify(await (await fetch(`${hub}${path}`)).json());

async function follow(page: Page, handle: string): Promise<void> {
  await followHandle(page, handle);
  await page.getByRole('button', { name: 'Done' }).click();
}

interface Recorded {
  readonly method: string;
  readonly url: string;
  /** URL, every header and the body (as text and as hex), for searching. */
  readonly text: string;
}

async function record(request: Request): Promise<Recorded> {
  const headers = await request.allHeaders().catch(() => request.headers());
  const body = request.postDataBuffer();
  const bytes = body ? new Uint8Array(body) : new Uint8Array(0);
  const text = [
    request.url(),
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    fromUtf8Lossy(bytes),
    toHex(bytes),
  ].join('\n');
  return { method: request.method(), url: request.url(), text: `${text}\n${decodeAscii(text)}` };
}

/**
 * `text` with its %-escapes of ASCII characters decoded (ids, handles and
 * their separators are ASCII). Not decodeURIComponent: a binary body read as
 * text can hold a "%" and two hex digits that are no valid UTF-8, and a
 * throw here would reject a recorder nobody waits on yet.
 */
function decodeAscii(text: string): string {
  return text.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function fromUtf8Lossy(bytes: Uint8Array): string {
  try {
    return fromUtf8(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

test('two pseudonyms used in turn: no request names both, and each stream serves one follow set', async ({
  browser,
  hubA,
  hubB,
}) => {
  const bob = await (await browser.newContext()).newPage();
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bob');
  await publish(bob, 'bob was here');

  const context = await browser.newContext();
  const pending: Promise<Recorded>[] = [];
  context.on('request', (request) => void pending.push(record(request)));
  const page = await context.newPage();

  const aliceHandle = await onboard(page, hubA, 'Alice', 'alice');
  await publish(page, 'alice speaks');
  await follow(page, bobHandle);

  await page.getByRole('button', { name: 'New pseudonym' }).click();
  await page.getByLabel('Display name').fill('Nightowl');
  await page.getByLabel('Handle', { exact: true }).fill('owl');
  await page.getByRole('button', { name: 'Create pseudonym' }).click();
  const owlHandle = `owl@${hubA.host}`;
  await expect(page.getByTestId('current-handle')).toHaveText(owlHandle);
  await publish(page, 'owl speaks');
  await follow(page, bobHandle);

  for (const handle of [aliceHandle, owlHandle, aliceHandle]) {
    await page.getByLabel('Pseudonym', { exact: true }).selectOption({ label: handle });
    await expect(page.getByTestId('current-handle')).toHaveText(handle);
    await publish(page, `${handle.split('@')[0]} again after switching`);
    await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  }
  // Each pseudonym's own settings (its inbox rule, a directory listing) and a look at the directory: requests of
  // their own, made as each is on screen.
  for (const handle of [owlHandle, aliceHandle]) {
    await page.getByLabel('Pseudonym', { exact: true }).selectOption({ label: handle });
    await expect(page.getByTestId('current-handle')).toHaveText(handle);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: /^People you follow/ }).check();
    await page.getByRole('checkbox', { name: 'List me in the directory' }).check();
    const id = await resolveHandle(hubA.url, handle);
    await expect.poll(() => heldOn(hubA.url, `/v1/listings`), { message: 'listed' }).toContain(id);
    await expect.poll(async () => (await fetch(`${hubA.url}/v1/inbox-policy/${id}`)).status).toBe(200);
    // Its lenses (their directory reads and feed fetches), and a post sealed for its approved followers.
    await page.getByLabel('Topics lens').selectOption({ label: 'Up to 30% of each page' });
    await page.getByLabel('Adjacent lens').selectOption({ label: 'Up to 30% of each page' });
    await page.getByLabel('Fresh lens').selectOption({ label: 'Up to 30% of each page' });
    await expect(page.getByTestId('lenses-section')).toContainText('Fresh lens: up to 30% of each page.');
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Discover people by topic' }).click();
    await expect(page.getByTestId('discover-status')).toHaveText(/listed/);
    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByLabel('Who can read this').selectOption({ label: 'My approved followers' });
    await publish(page, `${handle.split('@')[0]} for approved followers`);
    await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  }
  await page.reload(); // a restart syncs both pseudonyms' queues: still one pseudonym per request
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');

  const alice = await resolveHandle(hubA.url, aliceHandle);
  const owl = await resolveHandle(hubA.url, owlHandle);
  const bobId = await resolveHandle(hubB.url, bobHandle);
  // What names each pseudonym: its id, its handle, and the ids of its commits (its sealed posts' among them).
  const marks = async (id: PseudonymId, handle: string) => {
    const commits = await commitsOnHub(hubA.url, id);
    return [id, handle, `acct:${handle}`, `/v1/handles/${handle.split('@')[0]}`, ...commits.map((c) => c.id)];
  };
  const aliceMarks = await marks(alice, aliceHandle);
  const owlMarks = await marks(owl, owlHandle);
  expect(aliceMarks.length).toBeGreaterThan(5);
  expect(owlMarks.length).toBeGreaterThan(5);

  await context.close();
  const requests = await Promise.all(pending);
  // The worker's requests are in the record (only the worker signs heads).
  expect(requests.some((r) => r.method === 'PUT' && r.url.includes(`/v1/heads/${alice}`))).toBe(true);
  expect(requests.some((r) => r.method === 'PUT' && r.url.includes(`/v1/heads/${owl}`))).toBe(true);
  expect(requests.some((r) => r.url.includes('/v1/stream'))).toBe(true);
  for (const id of [alice, owl]) {
    expect(requests.some((r) => r.method === 'PUT' && r.url.includes(`/v1/listings/${id}`))).toBe(true);
    expect(requests.some((r) => r.method === 'PUT' && r.url.includes(`/v1/inbox-policy/${id}`))).toBe(true);
  }
  // Discover's reads and the lenses' (the whole directory, for the fresh lens) for each.
  expect(requests.filter((r) => new URL(r.url).pathname === '/v1/directory').length).toBeGreaterThanOrEqual(4);

  // The marks do find each pseudonym's own requests (so finding none naming both means something).
  expect(requests.filter((r) => aliceMarks.some((m) => r.text.includes(m))).length).toBeGreaterThan(5);
  expect(requests.filter((r) => owlMarks.some((m) => r.text.includes(m))).length).toBeGreaterThan(5);
  const linking = requests.filter(
    (r) => aliceMarks.some((m) => r.text.includes(m)) && owlMarks.some((m) => r.text.includes(m)),
  );
  expect(linking.map((r) => `${r.method} ${r.url}`)).toEqual([]);

  const followSets = [new Set([alice, bobId]), new Set([owl, bobId])];
  for (const stream of requests.filter((r) => new URL(r.url).pathname === '/v1/stream')) {
    const authors = (new URL(stream.url).searchParams.get('authors') ?? '').split(',');
    expect(
      followSets.some((set) => authors.every((a) => set.has(a as PseudonymId))),
      stream.url,
    ).toBe(true);
  }
});
