#!/usr/bin/env node
/**
 * Renders Murmur's app icons into public/icons/ with no dependencies (node:zlib
 * for PNG compression). The mark is the one in public/favicon.svg: a white
 * speech bubble holding a soft sound wave, on the brand gradient.
 *
 *   node scripts/make-icons.mjs
 *
 * Outputs: icon-192.png and icon-512.png (purpose "any": rounded square,
 * transparent corners), icon-maskable-192/512.png (full bleed, the mark inside the
 * 80% safe zone), shortcut-new-post-96.png, apple-touch-icon.png (180, full bleed; iOS rounds it).
 * Shapes are drawn in the favicon's 64-unit space and supersampled 4x4 per
 * pixel for smooth edges.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');

const GRADIENT_FROM = [0x6d, 0x5c, 0xf0];
const GRADIENT_TO = [0x3b, 0x2b, 0xbf];
const WHITE = [0xff, 0xff, 0xff];
const WAVE = [0x4a, 0x3b, 0xd0];

// --- shapes in 64-unit space -------------------------------------------------

function insideRoundRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function insideTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const negative = d1 < 0 || d2 < 0 || d3 < 0;
  const positive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(negative && positive);
}

function insideBubble(x, y) {
  return insideRoundRect(x, y, 10, 14, 54, 46, 8) || insideTriangle(x, y, [21, 44], [31, 45.99], [21, 53.5]);
}

const BARS = [
  [21.5, 6],
  [28.5, 16],
  [35.5, 11],
  [42.5, 4],
];

function insideWave(x, y) {
  return BARS.some(([cx, h]) => insideRoundRect(x, y, cx - 2, 30 - h / 2, cx + 2, 30 + h / 2, 2));
}

// --- rendering ---------------------------------------------------------------

/**
 * @param size pixels per side
 * @param options.corner background corner radius in 64-units (0: full bleed)
 * @param options.markScale scale of the mark around the centre (1: as in the favicon)
 * @returns RGBA bytes, straight alpha
 */
function render(size, { corner, markScale }) {
  const rgba = new Uint8Array(size * size * 4);
  const grid = 4;
  // The bubble with its tail spans y 14..53.5: centre it optically.
  const markCentre = [32, 33.75];
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const x = ((px + (sx + 0.5) / grid) / size) * 64;
          const y = ((py + (sy + 0.5) / grid) / size) * 64;
          if (corner > 0 && !insideRoundRect(x, y, 0, 0, 64, 64, corner)) continue;
          const mx = markCentre[0] + (x - markCentre[0]) / markScale;
          const my = markCentre[1] + (y - markCentre[1]) / markScale;
          let colour;
          if (insideWave(mx, my)) colour = WAVE;
          else if (insideBubble(mx, my)) colour = WHITE;
          else {
            const t = Math.min(1, Math.max(0, (x + y) / 128));
            colour = GRADIENT_FROM.map((c, i) => c + (GRADIENT_TO[i] - c) * t);
          }
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((a / (grid * grid)) * 255);
    }
  }
  return rgba;
}

// --- PNG ---------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- outputs -----------------------------------------------------------------

const ICONS = [
  { file: 'icon-192.png', size: 192, corner: 14, markScale: 1 },
  { file: 'icon-512.png', size: 512, corner: 14, markScale: 1 },
  // Maskable: the mark (about 44 units wide) scaled to sit well inside the
  // central circle of radius 40% (25.6 units) that every mask keeps.
  // 0.8 keeps even the bubble's corners (half-diagonal about 24 units) inside it.
  { file: 'icon-maskable-192.png', size: 192, corner: 0, markScale: 0.8 },
  { file: 'icon-maskable-512.png', size: 512, corner: 0, markScale: 0.8 },
  // The "New post" shortcut (Android shows shortcut icons at 96 px).
  { file: 'shortcut-new-post-96.png', size: 96, corner: 14, markScale: 1 },
  { file: 'apple-touch-icon.png', size: 180, corner: 0, markScale: 0.9 },
];

mkdirSync(OUT, { recursive: true });
for (const { file, size, corner, markScale } of ICONS) {
  const png = encodePng(size, render(size, { corner, markScale }));
  writeFileSync(join(OUT, file), png);
  console.log(`${file}  ${size}x${size}  ${png.length} bytes`);
}
