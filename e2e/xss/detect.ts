/**
 * Detecting what hostile content could make a page do: calls of the
 * `__xss(id)` every corpus payload makes when it runs (in any frame; from a
 * frame of another origin by postMessage), dialogs, frames, popups and
 * navigations away from the app; and a scan of the rendered DOM for anything
 * that could run or navigate later (on* attributes, script-bearing elements,
 * URLs that are not the app's own routes, http(s) links or blob: images).
 */
import type { BrowserContext, Page } from '@playwright/test';

export interface Detector {
  /** Payload ids that ran, and anything else a page did that rendering must never cause. */
  readonly executions: string[];
  readonly dialogs: string[];
  readonly frames: string[];
  readonly popups: string[];
  readonly navigations: string[];
  /** Everything above in one list: empty when the content was inert. */
  events(): string[];
  /** Watches `page` (its dialogs, frames, navigations) as the app page at `appUrl`. */
  watch(page: Page): void;
}

/**
 * Arms `context` (before its pages open): `__xss` is bound in every frame of
 * every page, and a message `xss:<id>` from any frame counts as a call.
 */
export async function armDetector(context: BrowserContext, appUrl: string): Promise<Detector> {
  const app = new URL(appUrl);
  const watched = new Set<Page>();
  const d: Detector = {
    executions: [],
    dialogs: [],
    frames: [],
    popups: [],
    navigations: [],
    events: () => [
      ...d.executions.map((e) => `executed ${e}`),
      ...d.dialogs.map((e) => `dialog ${e}`),
      ...d.frames.map((e) => `frame ${e}`),
      ...d.popups.map((e) => `popup ${e}`),
      ...d.navigations.map((e) => `navigation ${e}`),
    ],
    watch(page) {
      watched.add(page);
      page.on('dialog', (dialog) => {
        d.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss().catch(() => undefined);
      });
      page.on('frameattached', (frame) => d.frames.push(frame.url() || '(new frame)'));
      page.on('framenavigated', (frame) => {
        if (frame !== page.mainFrame()) return void d.frames.push(frame.url());
        const url = new URL(frame.url());
        // The app's own hash routes only: same origin and path, anything after '#'.
        if (url.origin !== app.origin || url.pathname !== app.pathname || url.search !== app.search)
          d.navigations.push(frame.url());
      });
    },
  };
  await context.exposeBinding(
    '__xss',
    ({ frame }, id: unknown) => void d.executions.push(`${String(id)} in ${frame.url().slice(0, 80)}`),
  );
  await context.addInitScript(() => {
    addEventListener('message', (event) => {
      if (typeof event.data === 'string' && event.data.startsWith('xss:'))
        (window as unknown as { __xss(id: string): void }).__xss(event.data.slice(4));
    });
  });
  context.on('page', (page) => {
    if (watched.size > 0 && !watched.has(page)) d.popups.push(page.url());
  });
  return d;
}

/**
 * What could run script or leave the app, in `root`'s subtree: on* attributes;
 * script, iframe, object, embed, base, meta, form-with-action, frame, portal,
 * link, style, template, math, foreignObject, use, animate or set elements; a
 * style attribute with url() or expression(); a link not to the app's hash
 * routes or an http(s) URL; an image not from a blob: URL; a srcdoc, action,
 * formaction, xlink:href, background, ping, data, poster or srcset attribute.
 * Runs in the page (it is passed as source to an init script).
 */
function hazardsIn(root: Element): string[] {
  const found: string[] = [];
  const FORBIDDEN = [
    'script',
    'iframe',
    'frame',
    'frameset',
    'object',
    'embed',
    'base',
    'meta',
    'form',
    'portal',
    'link',
    'style',
    'template',
    'math',
    'foreignobject',
    'use',
    'animate',
    'set',
  ];
  const URL_ATTRS = [
    'srcdoc',
    'action',
    'formaction',
    'xlink:href',
    'background',
    'ping',
    'data',
    'poster',
    'srcset',
    'lowsrc',
    'dynsrc',
  ];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    const tag = el.tagName.toLowerCase();
    const say = (what: string) => found.push(`<${tag}> ${what}`.slice(0, 200));
    // The app's own forms (compose, follow, messages) submit by
    // script; a form is a hazard only when it names an action.
    if (FORBIDDEN.includes(tag) && !(tag === 'form' && !el.hasAttribute('action'))) say('element');
    for (const { name, value } of el.attributes) {
      const n = name.toLowerCase();
      if (n.startsWith('on') || URL_ATTRS.includes(n)) say(`${n}="${value}"`);
      else if (n === 'style' && /url\s*\(|expression|binding|behavior/i.test(value)) say(`style="${value}"`);
      else if (n === 'href' && !(tag === 'a' && /^(#|https?:\/\/)/.test(value))) say(`href="${value}"`);
      else if (n === 'src' && !(tag === 'img' && value.startsWith('blob:'))) say(`src="${value}"`);
    }
  }
  return found;
}

/**
 * Records in `window.__hazardLog` every hazard (hazardsIn) that enters the
 * document outside its head, however briefly, from the first render on.
 */
function watchHazards(scan: typeof hazardsIn): void {
  const log: string[] = [];
  Object.assign(window, { __hazardLog: log, __hazards: () => scan(document.body) });
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      // The app's own head (its script, styles, meta) is not content;
      // anything else counts, even in a subtree removed since.
      if (document.head?.contains(r.target)) continue;
      if (r.type === 'attributes' && r.target instanceof Element)
        log.push(...scan(r.target).filter((h) => h.includes(`${r.attributeName}=`) || h.endsWith('element')));
      for (const node of r.addedNodes) if (node instanceof Element && node !== document.head) log.push(...scan(node));
    }
  });
  const start = () => observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
  if (document.documentElement) start();
  else addEventListener('DOMContentLoaded', start);
}

/**
 * Whether the text of `node` (or of its first child, a text node), or only
 * `part` (its last occurrence in a text node under `node`; false when there
 * is none), is laid out in reading order, left to right (for LTR text such as
 * a handle): false when a bidi control (in it, or leaking in from text
 * before it) turned it around. Runs in the page.
 */
function readsInOrder(node: Node | null, part?: string): boolean {
  let text = node?.nodeType === Node.TEXT_NODE ? node : node?.firstChild;
  if (part !== undefined) {
    text = node?.nodeType === Node.TEXT_NODE && node.textContent?.includes(part) ? node : null;
    const walker = node && document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker?.nextNode(); t; t = walker!.nextNode()) if (t.textContent?.includes(part)) text = t;
    if (!text) return false;
  }
  const content = text?.textContent ?? '';
  let first = part === undefined ? content.search(/\S/) : content.lastIndexOf(part);
  let last = part === undefined ? content.length - 1 : first + part.length - 1;
  while (last > first && /\s/.test(content[last] ?? '')) last--;
  while (first >= 0 && first < last && /\s/.test(content[first] ?? '')) first++;
  if (!text || text.nodeType !== Node.TEXT_NODE || first < 0 || last <= first) return true;
  const range = document.createRange();
  const rect = (i: number) => {
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    return range.getBoundingClientRect();
  };
  const [a, b] = [rect(first), rect(last)];
  // Wrapped onto a later line reads on; on one line, left to right.
  return b.top >= a.bottom - 1 || (Math.abs(a.top - b.top) < 1 && a.left < b.left);
}

/**
 * Installs the hazard watch, and `window.__inOrder` (readsInOrder), in every page of `context` (before its pages open).
 */
export async function watchDomHazards(context: BrowserContext): Promise<void> {
  await context.addInitScript(
    `(${watchHazards.toString()})(${hazardsIn.toString()}); window.__inOrder = ${readsInOrder.toString()};`,
  );
}

/** Whether the first element matching `selector` in `page` (or `part` of its text) reads in order (readsInOrder). */
export function inOrder(page: Page, selector: string, part?: string): Promise<boolean> {
  return page.evaluate(
    ({ selector, part }) =>
      (window as unknown as { __inOrder(node: Node | null, part?: string): boolean }).__inOrder(
        document.querySelector(selector),
        part,
      ),
    { selector, part },
  );
}

/** Hazards that entered `page`'s body since it loaded (watchDomHazards), and those in it now. */
export function domHazards(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __hazardLog: string[]; __hazards(): string[] };
    return [...w.__hazardLog, ...w.__hazards()];
  });
}
