/**
 * axe-core run in the page (the npm package's own source, injected), keeping
 * violations of impact serious or critical. @axe-core/playwright wants
 * Node 22, so we call axe directly.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  readonly id: string;
  readonly impact: string;
  readonly targets: readonly string[];
}

export default class AxeBuilder {
  readonly #page: Page;
  constructor(page: Page) {
    this.#page = page;
  }

  async seriousViolations(): Promise<Violation[]> {
    // Evaluated, not added as a <script>: the app's Content-Security-Policy refuses inline scripts (as it should).
    await this.#page.evaluate(axeSource);
    return this.#page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
        }
      ).axe;
      const { violations } = await axe.run();
      return violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
    });
  }
}
