// Prints the transferred size of the built app (dist/): raw, gzip and brotli per file type.
import { readFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { namedFiles, onDemandFiles, splitFiles } from './page-files.mjs';

const dist = process.argv[2] ?? 'dist';
const compressedSizes = (name) => {
  const data = readFileSync(join(dist, name));
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
// What a page downloads: itself and the code and styles it names (`./name`).
const pageFiles = (page) => [page, ...namedFiles(dist, page)]
  .filter((name) => ['wasm', 'js', 'css', 'html'].includes(extname(name).slice(1)) && statSync(join(dist, name), { throwIfNoEntry: false })?.isFile());
// The console: index.html, what it loads, what it loads on demand (the chat's messages, the other
// pages), and the service worker it installs (which stores all of them).
const firstLoad = pageFiles('index.html');
const consoleFiles = [...firstLoad, ...onDemandFiles(dist, 'index.html'), ...(statSync(join(dist, 'sw.js'), { throwIfNoEntry: false }) ? ['sw.js'] : [])];
const totals = {};
const rows = [];
for (const name of consoleFiles) {
  const kind = extname(name).slice(1);
  const sizes = compressedSizes(name);
  rows.push([name, sizes]);
  totals[kind] ??= { raw: 0, gzip: 0, brotli: 0 };
  for (const key of Object.keys(sizes)) totals[kind][key] += sizes[key];
}
// The widget loader is what a host page downloads before the chat frame; not part of the app.
const widget = statSync(join(dist, 'widget.js'), { throwIfNoEntry: false }) ? compressedSizes('widget.js') : null;
// The widget's frame: its own build (embed.html, scripts/build-app.sh) when there is one; usable
// (a message can be typed and sent) once the files the page names are there, and its messages'
// code comes beside them (src/chat/thread.rs).
const widgetPage = statSync(join(dist, 'embed.html'), { throwIfNoEntry: false }) ? 'embed.html' : 'index.html';
const sum = (list) => list.reduce((total, [, s]) => ({ raw: total.raw + s.raw, gzip: total.gzip + s.gzip, brotli: total.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const sizesOf = (names) => sum(names.map((name) => [name, compressedSizes(name)]));
const widgetFrame = sizesOf(pageFiles(widgetPage));
const widgetWhole = sum([['ready to send', widgetFrame], ['messages', sizesOf(splitFiles(dist, widgetPage, 'thread'))]]);
const kb = (n) => `${(n / 1024).toFixed(1)} K`.padStart(9);
console.log(`${'file'.padEnd(44)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`);
// The files loaded on demand as one line.
const onDemand = rows.filter(([name]) => name.startsWith('snippets/wasm-split-') && name.endsWith('.wasm'));
for (const [name, s] of rows.filter((row) => !onDemand.includes(row))) console.log(`${name.padEnd(44)} ${kb(s.raw)} ${kb(s.gzip)} ${kb(s.brotli)}`);
if (onDemand.length) {
  const s = sum(onDemand);
  console.log(`${`loaded on demand (${onDemand.length} wasm files)`.padEnd(44)} ${kb(s.raw)} ${kb(s.gzip)} ${kb(s.brotli)}`);
}
const all = { raw: 0, gzip: 0, brotli: 0 };
for (const [kind, s] of Object.entries(totals)) {
  console.log(`${('total ' + kind).padEnd(44)} ${kb(s.raw)} ${kb(s.gzip)} ${kb(s.brotli)}`);
  for (const key of Object.keys(all)) all[key] += s[key];
}
console.log(`${'total transferred'.padEnd(44)} ${kb(all.raw)} ${kb(all.gzip)} ${kb(all.brotli)}`);
// What a visit to the chat (or any page: the others' code comes after) downloads before a message
// can be sent, and with the code of its messages (which comes next).
const first = sum(rows.filter(([name]) => firstLoad.includes(name)));
const chatFiles = [...firstLoad, ...splitFiles(dist, 'index.html', 'thread')];
const chat = sum(rows.filter(([name]) => chatFiles.includes(name)));
const line = (label, s) => console.log(`${label.padEnd(44)} ${kb(s.raw)} ${kb(s.gzip)} ${kb(s.brotli)}`);
line('chat, ready to send (index.html, what it names)', first);
line('chat, with its messages\' code', chat);
if (widget) line('widget loader (widget.js, host pages only)', widget);
line(`widget frame, ready to send (${widgetPage}, ...)`, widgetFrame);
line('widget frame, with its messages\' code', widgetWhole);

// The budget (issue 10): the whole console at most 250 KiB brotli, the widget's chat (its own
// chat-only build) usable after at most 150 KiB. Exit status 1 above either, after printing.
const BUDGET = 250 * 1024;
const WIDGET_BUDGET = 150 * 1024;
const verdict = (label, size, budget) =>
  `${label.padEnd(44)} ${kb(size)} of ${kb(budget).trim()} ${size <= budget ? 'ok' : `OVER by ${kb(size - budget).trim()}`}`;
console.log(verdict('console (brotli) against its budget', all.brotli, BUDGET));
console.log(verdict('widget chat usable after (brotli), budget', widgetFrame.brotli, WIDGET_BUDGET));
// For scripts/wasm-size-by-crate.py: the served wasm's brotli bytes.
const wasmBrotli = rows.filter(([name]) => name.endsWith('.wasm')).reduce((sum, [, s]) => sum + s.brotli, 0);
console.log(`wasm-brotli-bytes ${wasmBrotli}`);
if (all.brotli > BUDGET || widgetFrame.brotli > WIDGET_BUDGET) process.exitCode = 1;
