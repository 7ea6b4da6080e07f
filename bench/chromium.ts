/** Runs a bench entry inside headless Chromium: bundles it with Vite and loads it into a page. */
import { type Browser, type Page, chromium } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A page at http://localhost/ (a secure context, served by route interception) with `entry` bundled and run in it. */
export async function pageWith(browser: Browser, entry: string): Promise<Page> {
  const code = await bundleEntry(entry);
  const page = await browser.newPage();
  await page.route('http://localhost/', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }),
  );
  await page.goto('http://localhost/');
  await page.addScriptTag({ content: code });
  return page;
}

/** `entry` bundled by Vite into one script a page runs. */
export async function bundleEntry(entry: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      minify: true,
      lib: { entry, formats: ['iife'], name: 'bench' },
      rollupOptions: { output: { inlineDynamicImports: true } },
    },
  });
  const output = (Array.isArray(result) ? result[0]! : result) as { output: { code?: string }[] };
  return output.output[0]!.code!;
}
