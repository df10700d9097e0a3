// Draws the extension icon (a white envelope on a blue rounded square) and
// writes it as a 64x64 RGBA PNG. Uses nothing but node:zlib for compression;
// the PNG container (signature, IHDR, IDAT, IEND, CRC32) is built by hand.
//
// Usage: node scripts/draw-icon.mjs [output.png]   (default: icons/icon.png)

import { deflateSync } from "node:zlib";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SIZE = 64;
const SUPERSAMPLE = 8; // SUPERSAMPLE x SUPERSAMPLE samples per pixel

// ---------------------------------------------------------------------------
// Geometry helpers (signed distances: negative inside, positive outside)
// ---------------------------------------------------------------------------

/** Signed distance from (px, py) to a rounded rectangle. */
function roundedRect(px, py, x0, y0, x1, y1, radius) {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2 - radius;
  const hy = (y1 - y0) / 2 - radius;
  const qx = Math.abs(px - cx) - hx;
  const qy = Math.abs(py - cy) - hy;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  const inside = Math.min(Math.max(qx, qy), 0);
  return outside + inside - radius;
}

/** Distance from (px, py) to the segment (ax, ay)-(bx, by). */
function segment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// ---------------------------------------------------------------------------
// The drawing
// ---------------------------------------------------------------------------

const BG_TOP = [59, 130, 246]; // blue
const BG_BOTTOM = [29, 78, 216]; // deeper blue
const PAPER = [255, 255, 255];
const PAPER_SHADE = [226, 234, 248]; // lower folds, slightly darker paper
const INK = [30, 64, 175]; // flap outline

// Envelope body
const EX0 = 11;
const EY0 = 17;
const EX1 = 53;
const EY1 = 47;
const ER = 3;
// Tip of the flap "V"
const TIP_X = 32;
const TIP_Y = 35;
const STROKE = 3.2; // flap line width in pixels

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Colour of a single sample point, or null when fully transparent. */
function sample(x, y) {
  if (roundedRect(x, y, 0, 0, SIZE, SIZE, 13) > 0) return null;
  let color = mix(BG_TOP, BG_BOTTOM, y / SIZE);

  // Soft drop shadow under the envelope.
  const shadow = roundedRect(x, y, EX0 + 1, EY0 + 2.5, EX1 + 1, EY1 + 2.5, ER);
  if (shadow < 0) color = mix(color, [15, 40, 120], 0.35);

  if (roundedRect(x, y, EX0, EY0, EX1, EY1, ER) > 0) return color;

  // Paper: the triangle below the flap is the (shaded) front pocket.
  const belowLeft = (y - EY0) * (TIP_X - EX0) > (x - EX0) * (TIP_Y - EY0);
  const belowRight = (y - EY0) * (EX1 - TIP_X) > (EX1 - x) * (TIP_Y - EY0);
  color = belowLeft || belowRight ? PAPER_SHADE : PAPER;

  // Thin fold lines from the bottom corners towards the middle.
  const fold = Math.min(
    segment(x, y, EX0 + 1, EY1 - 1, TIP_X - 4, TIP_Y - 1 + 5),
    segment(x, y, EX1 - 1, EY1 - 1, TIP_X + 4, TIP_Y - 1 + 5),
  );
  if (fold < 0.7) color = mix(color, INK, 0.35);

  // The flap "V".
  const flap = Math.min(
    segment(x, y, EX0 + 1.5, EY0 + 1.5, TIP_X, TIP_Y),
    segment(x, y, EX1 - 1.5, EY0 + 1.5, TIP_X, TIP_Y),
  );
  if (flap < STROKE / 2) color = INK;

  return color;
}

function render() {
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      // Average premultiplied colour over the sub-samples.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = sample(px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE);
          if (c === null) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const i = (py * SIZE + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
        rgba[i + 3] = Math.round((255 * a) / n);
      }
    }
  }
  return rgba;
}

// ---------------------------------------------------------------------------
// PNG encoding
// ---------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(width, height, rgba) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace

  // Each scanline is prefixed with filter type 0 (None).
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }

  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? resolve(root, "icons", "icon.png"));
mkdirSync(dirname(out), { recursive: true });
const png = encodePng(SIZE, SIZE, render());
writeFileSync(out, png);
console.log(`Wrote ${out} (${SIZE}x${SIZE}, ${png.length} bytes)`);
