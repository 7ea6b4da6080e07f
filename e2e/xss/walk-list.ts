/**
 * Reading a virtualized list of posts in the page (xss.spec.ts): every post
 * is read as it scrolls through the DOM, with the fields a person sees.
 */
import type { Page } from '@playwright/test';

/** What a post showed: its text fields as rendered, and whether its handle read in order. */
export interface SeenPost {
  readonly body: string;
  readonly name: string | null;
  readonly handle: string;
  readonly tags: string[];
  readonly model: string | null;
  /** The handle's characters are laid out in reading order (a bidi control in the name did not reorder them). */
  readonly handleInOrder: boolean;
}

/**
 * Scrolls the virtualized list `label` until every post of `ids` has been in
 * the DOM, reading each one as it passes (showing arrivals held back by the
 * "new posts" button when it appears). Bounded by `timeoutMs`.
 */
export function walkList(
  page: Page,
  label: string,
  ids: readonly string[],
  timeoutMs = 90_000,
): Promise<Record<string, SeenPost>> {
  return page.evaluate(
    async ({ label, ids, timeoutMs }) => {
      const seen: Record<string, SeenPost> = {};
      const want = new Set(ids);
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const inOrder = (window as unknown as { __inOrder(el: Element | null): boolean }).__inOrder;
      const deadline = performance.now() + timeoutMs;
      let quiet = 0;
      scrollTo(0, 0);
      while (performance.now() < deadline) {
        const before = Object.keys(seen).length;
        for (const article of document.querySelectorAll(`[aria-label="${label}"] [data-testid="post"]`)) {
          const id = article.querySelector('a.post-time')?.getAttribute('href')?.split('/').pop();
          if (!id || seen[id]) continue;
          seen[id] = {
            body: article.querySelector('[data-testid="post-body"]')?.textContent ?? '',
            name: article.querySelector('[data-testid="post-name"]')?.textContent ?? null,
            handle: article.querySelector('[data-testid="post-author"]')?.textContent ?? '',
            tags: [...article.querySelectorAll('.post-tags li')].map((li) => li.textContent ?? ''),
            model: article.querySelector('[data-testid="agent"] [aria-hidden="true"]:not(svg)')?.textContent ?? null,
            handleInOrder: inOrder(article.querySelector('[data-testid="post-author"]')),
          };
        }
        if ([...want].every((id) => seen[id])) return seen;
        // Rows join the DOM a few per frame: move on once two frames in a row brought none.
        quiet = Object.keys(seen).length === before ? quiet + 1 : 0;
        if (quiet >= 2) {
          // At the end of a list that says so, and still nothing new: the rest will not come.
          if (
            document.querySelector('.timeline-end') &&
            scrollY + innerHeight >= document.documentElement.scrollHeight - 2 &&
            quiet > 30
          )
            return seen;
          const reveal = document.querySelector<HTMLButtonElement>('.new-posts-button');
          if (reveal) reveal.click();
          else if (scrollY + innerHeight < document.documentElement.scrollHeight - 2) {
            scrollBy(0, innerHeight);
            quiet = 0;
          }
        }
        await frame();
      }
      return seen;
    },
    { label, ids, timeoutMs },
  );
}
