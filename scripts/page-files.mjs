// The files an HTML page of the build names (`./name`, quoted or not, as trunk writes them, also
// `././name` in its loader script): what the page downloads. Shared by
// scripts/write-service-worker.mjs (the console's shell, without the widget's build) and
// scripts/size-report.mjs (each page's size).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function namedFiles(dist, page) {
  return new Set([...readFileSync(join(dist, page), "utf8").matchAll(/(?:\.\/)+([^"'\s>]+)/g)].map((match) => match[1]));
}

// The console's lazily loaded pages (tools/wasm-bindgen/src/split.rs): the wasm files under
// snippets/wasm-split-<hash>/, fetched when a page other than the chat is first opened, as paths
// relative to dist/. Their link module (__wasm_split.js, beside them) is one of the files
// index.html names: it is loaded at once.
export function onDemandFiles(dist) {
  const snippets = join(dist, "snippets");
  if (!existsSync(snippets)) return [];
  return readdirSync(snippets)
    .filter((dir) => dir.startsWith("wasm-split-"))
    .flatMap((dir) => readdirSync(join(snippets, dir)).filter((name) => name.endsWith(".wasm")).map((name) => `snippets/${dir}/${name}`))
    .sort();
}
