// Writes BENCHMARKS.md from bench/results/*.json (made by `npm run bench` or one bench file).
// A section whose bench did not run this time is kept as it was, with its own date,
// so running one bench file never drops the others' figures.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const dir = join(import.meta.dirname, 'results');
const target = join(import.meta.dirname, '..', 'BENCHMARKS.md');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

/** The existing file's sections, by title, in order. */
function previousSections() {
  if (!existsSync(target)) return new Map();
  const sections = new Map();
  for (const part of readFileSync(target, 'utf8')
    .split(/^(?=## )/m)
    .slice(1)) {
    sections.set(part.slice(3, part.indexOf('\n')).trim(), part.trimEnd());
  }
  return sections;
}

function section({ title, command, rows, notes, at }) {
  let out =
    `## ${title}\n\n\`${command}\` — ${at.slice(0, 10)}\n\n| scenario | median | baseline (same run) | ` +
    `ratio | goal | met |\n|---|---|---|---|---|---|\n`;
  // A row made from rounds carries each figure's lowest-highest over them, printed beside its median.
  const range = (pair, f = fmt) => (pair ? ` (${f(pair[0])}-${f(pair[1])})` : '');
  const x = (n) => n.toFixed(2);
  for (const r of rows) {
    out +=
      `| ${r.scenario} | ${fmt(r.value)} ${r.unit}${range(r.spread?.value)} | ${r.baseline}: ` +
      `${fmt(r.baselineValue)} ${r.unit}${range(r.spread?.baseline)} | ${x(r.ratio)}x${range(r.spread?.ratio, x)} | ` +
      `${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |\n`;
  }
  if (notes) out += `\n${notes}\n`;
  return out.trimEnd();
}

const sections = previousSections();
for (const file of files) {
  const result = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  sections.set(result.title, section(result));
}
let out =
  `# Benchmarks\n\nMade by \`npm run bench\` on ${cpus().length} cores ` +
  `(${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.\n`;
out +=
  'Each scenario runs beside its baseline in the same process, in alternating rounds; figures are medians, and the ' +
  'ratio is the median of the per-round ratios; where a figure has (lowest-highest) beside it, that is its spread ' +
  'over the rounds. The machines are noisy: compare ratios, not absolute numbers. Each ' +
  'section carries the date of its own run. A goal row is only worth its positive control: a row beside it ' +
  '("control: ...") measured the same way with the thing it guards broken on purpose, which must say **no**. ' +
  'Every table here is written by its bench (bench/record.ts, then `node bench/report.mjs`); none is kept by ' +
  'hand.\n';
for (const text of sections.values()) out += `\n${text}\n`;
writeFileSync(target, out);
console.log(out);
