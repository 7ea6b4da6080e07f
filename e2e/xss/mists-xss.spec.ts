/**
 * The XSS corpus (corpus.ts) in every field of a mist (issue 20): titles, descriptions and file names where the
 * protocol lets a payload stand (no control or direction characters; a name is never a path), and the files
 * themselves: every payload in a file shown highlighted as HTML, and in one shown as JavaScript; an SVG, an
 * HTML page, a 200,000-character single line and bytes that are not UTF-8. Rendered by the real app in Chromium
 * with the hub's CSP bypassed (e2e/xss/xss.spec.ts proves the detectors can say yes): the list and each mist's
 * page run nothing, put nothing hazardous in the DOM, and show the payloads as the text they are. Tags follow
 * the topic rule, which no payload passes (a unit test of the protocol: mists-vectors).
 */
import { buildCommit } from '../../src/protocol/commits.ts';
import { buildHead } from '../../src/protocol/heads.ts';
import { type ObjectId, hashBytes } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type MistObject, buildMist, checkFileName } from '../../src/protocol/mists.ts';
import { detectArtifactType } from '../../src/protocol/mist-types.ts';
import type { SignedCommit } from '../../src/protocol/commits.ts';
import { expect, onboard, test } from '../fixtures.ts';
import { CORPUS } from './corpus.ts';
import { armDetector, domHazards, watchDomHazards } from './detect.ts';
import { publishFeed } from './hostile-feeds.ts';

const key = secretKeyFrom(new Uint8Array(32).fill(177));
const author = pseudonymOf(key);
const enc = (s: string) => new TextEncoder().encode(s);

/** Whether the protocol takes `text` in `field` of a mist (titles and descriptions refuse control characters). */
function fits(field: 'title' | 'description' | 'name', text: string): boolean {
  try {
    if (field === 'name') checkFileName(text);
    else
      buildMist({
        author,
        name: 'a.txt',
        content: hashBytes(enc('x')),
        size: 1,
        ts: 1,
        artifact: 'text',
        [field]: text,
      });
    return true;
  } catch {
    return false;
  }
}

/** `texts` joined by spaces (a title or description may hold no newline) into chunks of at most `max` characters. */
function pack(texts: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const text of texts) {
    if (current && [...current].length + 1 + [...text].length > max) {
      chunks.push(current);
      current = '';
    }
    if ([...text].length <= max) current = current ? `${current} ${text}` : text;
  }
  if (current) chunks.push(current);
  return chunks;
}

interface Spec {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly title?: string;
  readonly description?: string;
}

/** Every mist of the hostile feed: packed titles and descriptions, payload names, and the hostile files. */
function hostileMists(): Spec[] {
  const all = CORPUS.map((p) => p.text);
  const titles = pack(
    all.filter((t) => fits('title', t)),
    500,
  );
  const descriptions = pack(
    all.filter((t) => fits('description', t)),
    10_000,
  );
  const names = CORPUS.map((p) => p.text.trim()).filter((t) => t.length <= 120 && fits('name', t));
  const files: Spec[] = [
    { name: 'corpus.html', bytes: enc(all.join('\n')) },
    // Not the same bytes as corpus.html: the same file of one author is one mist.
    { name: 'corpus.js', bytes: enc(`// every payload as script text\n${all.join('\n')}`) },
    { name: 'corpus.svg', bytes: enc(`<svg xmlns="http://www.w3.org/2000/svg" onload="top.__xss('svg')"></svg>`) },
    { name: 'one-line.txt', bytes: enc(`<script>top.__xss('long')</script>${'x'.repeat(200_000)}`) },
    { name: 'not-utf8.bin', bytes: new Uint8Array([0xff, 0xfe, 0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3e, 0xc3]) },
  ];
  const count = Math.max(titles.length, descriptions.length, names.length + files.length);
  return Array.from({ length: count }, (_, i) => ({
    name: files[i]?.name ?? names[i - files.length] ?? `m${i}.txt`,
    bytes: files[i]?.bytes ?? enc(`mist ${i}`),
    ...(titles[i] && { title: titles[i] }),
    ...(descriptions[i] && { description: descriptions[i] }),
  }));
}

function buildMistFeed(specs: readonly Spec[]) {
  const commits: SignedCommit[] = [];
  const objects: { id: ObjectId; bytes: Uint8Array }[] = [];
  let ts = Date.now() - specs.length - 10;
  for (const spec of specs) {
    const content = hashBytes(spec.bytes);
    const detected = detectArtifactType(spec.name, spec.bytes);
    const mist: Omit<MistObject, 'type'> = {
      author,
      name: spec.name,
      content,
      size: spec.bytes.length,
      ts,
      ...(spec.title && { title: spec.title }),
      ...(spec.description && { description: spec.description }),
      artifact: detected.type,
      ...(detected.language && { language: detected.language }),
    };
    const built = buildMist(mist);
    objects.push({ id: built.id, bytes: built.bytes }, { id: content, bytes: spec.bytes });
    const last = commits.at(-1);
    const ops = [{ type: 'mist', object: built.id }] as const;
    commits.push(
      buildCommit(key, { parents: last ? [last.id] : [], seq: commits.length + 1, ts: ts++, ops: [...ops] }),
    );
  }
  const tip = commits.at(-1)!;
  const head = buildHead(key, { heads: [tip.id], seq: tip.commit.seq, ts: Date.now() });
  return { key, author, commits, objects, logs: [], head };
}

/** Each test opens a third of the mists' pages (each alone took most of a test's time on a busy machine). */
const PARTS = 3;

for (let part = 0; part < PARTS; part++) {
  const name = `the corpus in every mist field and file, part ${part + 1} of ${PARTS}: nothing runs, text shows`;
  test(name, async ({ browser, hubA, hubB }) => {
    const specs = hostileMists();
    expect(specs.length).toBeGreaterThan(20);
    await publishFeed(hubB, buildMistFeed(specs), 'hostilemists');

    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1000, height: 2400 } });
    const detector = await armDetector(context, `${hubA.url}/`);
    await watchDomHazards(context);
    const page = await context.newPage();
    detector.watch(page);
    await onboard(page, hubA, 'Viewer', 'viewer');
    await page.getByRole('button', { name: 'Follow someone' }).click();
    await page.getByLabel('Handle to follow').fill(`hostilemists@${hubB.host}`);
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Following hostilemists' })).toBeVisible();
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('link', { name: 'Mists' }).click();
    await expect(page.getByTestId('mist-card')).toHaveCount(specs.length);
    expect(detector.events()).toEqual([]);
    expect(await domHazards(page)).toEqual([]);
    // Titles show as the characters they are (a title is one line of text in the card's heading).
    const titles = await page.locator('.mist-card-title').allTextContents();
    for (const spec of specs) if (spec.title) expect(titles).toContain(spec.title);

    // This part's mists' pages: each title, description and file as the text they are, nothing run.
    const hrefs = await page.locator('.mist-card-title a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    const mine = hrefs.filter((_, i) => i % PARTS === part);
    const byFile = new Map(specs.map((spec) => [`${spec.name} · ${spec.bytes.length} bytes`, spec]));
    const seen = new Set<Spec>();
    for (const href of mine) {
      await page.evaluate((h) => {
        location.hash = h;
      }, href);
      const shown = page.locator(`[data-mist="${href.split('/').pop()}"]`);
      await expect(shown).toBeVisible();
      const spec = byFile.get((await shown.getByTestId('mist-file-name').textContent()) ?? '');
      expect(spec, href).toBeDefined();
      seen.add(spec!);
      await expect(shown.getByRole('heading', { level: 1 })).toHaveText(spec!.title ?? spec!.name);
      await expect(shown.getByTestId('verified')).toBeVisible();
      if (spec!.description) expect(await shown.getByTestId('mist-description').textContent()).toBe(spec!.description);
      const text = new TextDecoder().decode(spec!.bytes);
      if (spec!.name === 'not-utf8.bin') await expect(shown.getByTestId('mist-binary')).toBeVisible();
      else expect(await shown.locator('.code-view code').textContent()).toBe(text);
    }
    // The parts together open every mist once: each its own.
    expect(seen.size).toBe(mine.length);
    expect(hrefs).toHaveLength(specs.length);
    expect(detector.events()).toEqual([]);
    expect(await domHazards(page)).toEqual([]);
  });
}
