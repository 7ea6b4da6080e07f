/**
 * One Lighthouse run (lighthouse 12.2.3, its CLI as a child process, so its
 * Chromium and memory are its own) against a URL, on the mobile profile (the
 * default: a mid-range phone, simulated slow 4G and a 4x slower CPU) or the
 * desktop preset, in Debian's headless Chromium. Every run starts a fresh
 * browser profile: a cold cache and no service worker, as a first visit.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const CLI = join(import.meta.dirname, '..', '..', 'node_modules', 'lighthouse', 'cli', 'index.js');
const CHROME_FLAGS = '--headless --no-sandbox --disable-gpu --disable-quic --no-first-run';

export type Profile = 'mobile' | 'desktop';
export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];
export const METRICS = {
  fcp: 'first-contentful-paint',
  lcp: 'largest-contentful-paint',
  si: 'speed-index',
  tbt: 'total-blocking-time',
} as const;
export type Metric = keyof typeof METRICS;

export interface LighthouseResult {
  /** Each category's score, 0 to 100. */
  readonly scores: Record<Category, number>;
  /** Each metric in ms, as Lighthouse estimates it for the profile. */
  readonly metrics: Record<Metric, number>;
  /** Lighthouse's measure of this machine's CPU (about 1,000-2,500 on a desktop; lower is slower). */
  readonly benchmarkIndex: number;
  /** The audits that cost each category points, for the log. */
  readonly failing: readonly string[];
}

interface Report {
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; numericValue?: number; scoreDisplayMode: string }>;
  environment: { benchmarkIndex: number };
  runtimeError?: { code: string; message: string };
}

export async function runLighthouse(url: string, profile: Profile): Promise<LighthouseResult> {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-lighthouse-'));
  try {
    const out = join(dir, 'report.json');
    await promisify(execFile)(
      process.execPath,
      [
        CLI,
        url,
        '--output=json',
        `--output-path=${out}`,
        '--quiet',
        `--chrome-flags=${CHROME_FLAGS}`,
        `--only-categories=${CATEGORIES.join(',')}`,
        '--disable-full-page-screenshot',
        ...(profile === 'desktop' ? ['--preset=desktop'] : ['--form-factor=mobile']),
      ],
      {
        env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', TMPDIR: dir },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    if (report.runtimeError) throw new Error(`lighthouse: ${report.runtimeError.code} ${report.runtimeError.message}`);
    const scores = {} as Record<Category, number>;
    const failing: string[] = [];
    for (const category of CATEGORIES) {
      const { score, auditRefs } = report.categories[category]!;
      if (score === null) throw new Error(`lighthouse gave ${category} no score`);
      scores[category] = Math.round(score * 100);
      for (const ref of auditRefs) {
        const audit = report.audits[ref.id];
        if (ref.weight > 0 && audit?.score !== null && audit?.score !== undefined && audit.score < 1)
          failing.push(`${category}/${ref.id}=${audit.score}`);
      }
    }
    const metrics = {} as Record<Metric, number>;
    for (const [key, id] of Object.entries(METRICS)) metrics[key as Metric] = report.audits[id]!.numericValue!;
    return { scores, metrics, benchmarkIndex: report.environment.benchmarkIndex, failing };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
