// The files an HTML page of the build names (`./name`, quoted or not, as trunk writes them, also
// `././name` in its loader script): what the page downloads. Shared by
// scripts/write-service-worker.mjs (the console's shell, without the widget's build) and
// scripts/size-report.mjs (each page's size).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function namedFiles(dist, page) {
  return new Set([...readFileSync(join(dist, page), "utf8").matchAll(/(?:\.\/)+([^"'\s>]+)/g)].map((match) => match[1]));
}

// The split link modules (snippets/wasm-split-<hash>/__wasm_split.js, tools/wasm-bindgen/src/split.rs)
// a page names: one per build, loaded with the page.
const linkModules = (dist, page) =>
  [...namedFiles(dist, page)].filter((name) => /^snippets\/wasm-split-[0-9a-f]+\/__wasm_split\.js$/.test(name));

// The wasm files `page` loads on demand (the console's other pages, the chat's messages), as
// paths relative to dist/: those beside the link module it names. The widget's build has its
// own folder, which the console's pages do not name.
export function onDemandFiles(dist, page) {
  return linkModules(dist, page)
    .map((module) => module.slice(0, module.lastIndexOf("/")))
    .flatMap((dir) => readdirSync(join(dist, dir)).filter((name) => name.endsWith(".wasm")).map((name) => `${dir}/${name}`))
    .sort();
}

// The wasm files one split of `page` needs (`split_<name>.wasm` and the shared chunks it waits
// for), read from the link module: `export const __wasm_split_load_<name> = ...("./file.wasm"...),
// [__chunk_N, ...]` and `const __chunk_N = makeLoad(...("./chunk_N.wasm"...)`.
export function splitFiles(dist, page, split) {
  const files = [];
  for (const module of linkModules(dist, page)) {
    const dir = module.slice(0, module.lastIndexOf("/"));
    const source = readFileSync(join(dist, module), "utf8");
    const loader = new RegExp(`__wasm_split_load_${split} = [\\s\\S]*?"\\./([^"]+\\.wasm)"[\\s\\S]*?, \\[([^\\]]*)\\]\\)\\)`).exec(source);
    if (!loader) continue;
    files.push(`${dir}/${loader[1]}`);
    for (const chunk of loader[2].split(",").map((name) => name.trim()).filter(Boolean)) {
      const chunkFile = new RegExp(`const ${chunk} = makeLoad\\([\\s\\S]*?"\\./([^"]+\\.wasm)"`).exec(source);
      if (chunkFile) files.push(`${dir}/${chunkFile[1]}`);
    }
  }
  return files;
}
