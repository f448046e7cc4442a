#!/usr/bin/env node
// Writes precompressed copies beside the built app's text and wasm files (x.wasm -> x.wasm.br,
// x.wasm.gz), so that the gateway, nginx (brotli_static/gzip_static), Caddy (precompressed) or a
// static host sends them by content negotiation without compressing per request. Brotli at
// quality 11 and gzip at level 9: too slow to do per request, done once per build here.
//   node scripts/compress-dist.mjs [dist]
// Idempotent: run it again after editing a file in dist/ by hand, or a host that serves the copies
// would send the old bytes. Each copy gets its source's modification time, so the gateway can tell
// a stale copy (older than its source) and serve the source instead.
// Node's own zlib: no download. trunk's integrity hashes are of the uncompressed bytes, which is
// what the browser checks after decoding, so they are unaffected.
import { readdirSync, readFileSync, statSync, writeFileSync, utimesSync, rmSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const compressible = /\.(wasm|js|mjs|css|html|json|svg|txt|map|webmanifest)$/;
// Below this a copy saves less than the response headers cost, and config.json (which deployers
// edit in place) stays a single file that cannot go stale.
const smallest = 1024;

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

if (!existsSync(dist)) {
  console.error(`compress-dist: no ${dist}/ (build the app first)`);
  process.exit(1);
}

const files = filesUnder(dist);
// Copies whose source is gone or no longer compressed (a file shrank below the limit) would be
// served for a file that is not there or has changed: remove them.
for (const path of files.filter((path) => /\.(br|gz)$/.test(path))) {
  const source = path.replace(/\.(br|gz)$/, "");
  if (!compressible.test(source) || !existsSync(source) || statSync(source).size < smallest) rmSync(path);
}

let raw = 0;
let brotli = 0;
let gzip = 0;
const rows = [];
for (const path of files.filter((path) => compressible.test(path))) {
  const bytes = readFileSync(path);
  raw += bytes.length;
  if (bytes.length < smallest) {
    brotli += bytes.length;
    gzip += bytes.length;
    continue;
  }
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: path.endsWith(".wasm") ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const gz = gzipSync(bytes, { level: 9 });
  const { atime, mtime } = statSync(path);
  for (const [suffix, copy] of [[".br", br], [".gz", gz]]) {
    writeFileSync(path + suffix, copy);
    utimesSync(path + suffix, atime, mtime);
  }
  brotli += br.length;
  gzip += gz.length;
  rows.push([relative(dist, path), bytes.length, br.length, gz.length]);
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
for (const [name, size, br, gz] of rows) {
  console.log(`compress-dist: ${name}: ${kib(size)} -> br ${kib(br)}, gzip ${kib(gz)}`);
}
console.log(`compress-dist: ${dist}/ text and wasm: ${kib(raw)} raw, ${kib(brotli)} brotli, ${kib(gzip)} gzip (what a browser downloads)`);
