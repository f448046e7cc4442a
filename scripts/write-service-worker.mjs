#!/usr/bin/env node
// Writes dist/sw.js: the service worker of static/sw.js with the build it serves written in, the
// name and SHA-256 of every file of the app shell (index.html, what it loads, and the pages it
// loads on demand, in snippets/) and a version naming that set. A new deployment is a new sw.js,
// which is what makes browsers install it.
//   node scripts/write-service-worker.mjs [dist]
// Left out: config.json (deployers edit it in place; the app fetches it from the network),
// widget.js (loaded by other sites' pages, never by the app), precompressed copies, and the
// widget's own build (embed.html and the files only it loads: /embed is never served by the
// worker, and a console visitor need not store it).
// Run it again after editing a file of dist/ by hand, then scripts/compress-dist.mjs: a worker
// whose hashes no longer match the files refuses to install (it never serves a mixed set), so
// the app keeps working from the network but loses its offline start.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { namedFiles, onDemandFiles } from "./page-files.mjs";

const dist = process.argv[2] ?? "dist";
const template = join(dirname(import.meta.dirname), "static", "sw.js");
const marker = "const BUILD = null;";
const notShell = /(\.(br|gz)$)|^(config\.json|widget\.js|sw\.js|\.inputs\.sha256)$/;

if (!existsSync(join(dist, "index.html"))) {
  console.error(`write-service-worker: no ${dist}/index.html (build the app first)`);
  process.exit(1);
}
const source = readFileSync(template, "utf8");
if (!source.includes(marker)) {
  console.error(`write-service-worker: ${template} lacks the line "${marker}"`);
  process.exit(1);
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const widgetOnly = new Set();
if (existsSync(join(dist, "embed.html"))) {
  const console = namedFiles(dist, "index.html");
  widgetOnly.add("embed.html");
  for (const name of namedFiles(dist, "embed.html")) if (!console.has(name)) widgetOnly.add(name);
  // (and the widget's own split files, in the folder of its link module)
  for (const name of onDemandFiles(dist, "embed.html")) widgetOnly.add(name);
}
// Files in folders count by their path (snippets/: the link module and the lazily loaded pages'
// wasm, tools/wasm-bindgen/src/split.rs), so that every page opens offline.
const filesUnder = (dir) => readdirSync(join(dist, dir), { withFileTypes: true }).flatMap((entry) => {
  const name = dir ? `${dir}/${entry.name}` : entry.name;
  return entry.isDirectory() ? filesUnder(name) : [name];
});
const files = filesUnder("")
  .filter((name) => !notShell.test(name.slice(name.lastIndexOf("/") + 1)) && !widgetOnly.has(name))
  .sort()
  .map((name) => ({ name, sha256: sha256(readFileSync(join(dist, name))) }));
const version = sha256(JSON.stringify(files)).slice(0, 16);
const build = JSON.stringify({ version, files });
writeFileSync(join(dist, "sw.js"), source.replace(marker, `const BUILD = ${build};`));
console.log(`write-service-worker: ${dist}/sw.js, build ${version}, ${files.length} files`);
