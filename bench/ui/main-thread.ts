/**
 * Watching a page's main thread for bench/ui.bench.ts: the largest gap of a
 * 5 ms timer chain, every Long Tasks API entry (tasks over 50 ms), and with
 * `trace` when each long task started beside what changed on screen; and the
 * budget's positive control, long tasks run on the main thread on purpose.
 */
import type { Page } from 'playwright-core';

export interface Watch {
  stall: number;
  longTasks: number[];
  stop: boolean;
  events: { t: number; what: string }[];
}

/**
 * Starts watching the main thread: a 5 ms timer chain's largest gap, and Long Tasks. With `trace`, it also
 * keeps when each long task started and what changed on screen (badge text, timeline rows) for the report.
 */
export function watchMainThread(page: Page, trace = false): Promise<void> {
  return page.evaluate((trace) => {
    const w = globalThis as unknown as { __watch: Watch };
    w.__watch = { stall: 0, longTasks: [], stop: false, events: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__watch.longTasks.push(e.duration);
        if (trace) w.__watch.events.push({ t: e.startTime, what: `LONG TASK ${e.duration.toFixed(0)} ms` });
      }
    }).observe({ type: 'longtask' });
    if (trace) {
      let badge = '';
      let rows = '';
      new MutationObserver(() => {
        const b = document.querySelector('[data-testid="sync-status"]')?.textContent ?? '';
        const list = document.querySelector('.timeline-list');
        const r = list ? `${list.getAttribute('data-count')} (${list.childElementCount} in the DOM)` : '';
        if (b !== badge) {
          badge = b;
          w.__watch.events.push({ t: performance.now(), what: `badge "${badge}"` });
        }
        if (r !== rows) {
          rows = r;
          w.__watch.events.push({ t: performance.now(), what: `timeline rows ${rows}` });
        }
      }).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
        attributeFilter: ['data-count'],
      });
    }
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      w.__watch.stall = Math.max(w.__watch.stall, now - last - 5);
      last = now;
      if (!w.__watch.stop) setTimeout(tick, 5);
    };
    setTimeout(tick, 5);
  }, trace);
}

/** Stops the watch (and any injected long tasks) and returns what it saw. */
export function readWatch(page: Page): Promise<Watch> {
  return page.evaluate(() => {
    const w = globalThis as unknown as { __watch: Watch };
    w.__watch.stop = true;
    return w.__watch;
  });
}

/**
 * The budget's positive control: from now until readWatch, a busy loop of `ms` on the page's main thread
 * (a timer task, as an app's own work would be) at once and then every `everyMs`, so a sync watched this way
 * has tasks over 50 ms that the Long Tasks API must report. Call after watchMainThread.
 */
export function injectLongTasks(page: Page, ms: number, everyMs: number): Promise<void> {
  return page.evaluate(
    ([ms, everyMs]) => {
      const w = globalThis as unknown as { __watch: Watch };
      const busy = () => {
        if (w.__watch.stop) return;
        const end = performance.now() + ms;
        while (performance.now() < end) {
          // the long task itself
        }
        setTimeout(busy, everyMs);
      };
      setTimeout(busy, 0);
    },
    [ms, everyMs] as const,
  );
}
