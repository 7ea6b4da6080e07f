// Writes BENCHMARKS.md from bench/results/*.json (made by `npm run bench`).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const dir = join(import.meta.dirname, 'results');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
let out = `# Benchmarks\n\nMade by \`npm run bench\` on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.\n`;
out += 'Each scenario runs beside its baseline in the same process, in alternating rounds; figures are medians, and the ratio is the median of the per-round ratios. The machines are noisy: compare ratios, not absolute numbers.\n';
for (const file of files) {
  const { title, command, rows, notes, at } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  out += `\n## ${title}\n\n\`${command}\` — ${at.slice(0, 10)}\n\n| scenario | median | baseline (same run) | ratio | goal | met |\n|---|---|---|---|---|---|\n`;
  for (const r of rows) {
    out += `| ${r.scenario} | ${fmt(r.value)} ${r.unit} | ${r.baseline}: ${fmt(r.baselineValue)} ${r.unit} | ${r.ratio.toFixed(2)}x | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |\n`;
  }
  if (notes) out += `\n${notes}\n`;
}
writeFileSync(join(import.meta.dirname, '..', 'BENCHMARKS.md'), out);
console.log(out);
