// The files an HTML page of the build names (`./name`, quoted or not, as trunk writes them, also
// `././name` in its loader script): what the page downloads. Shared by
// scripts/write-service-worker.mjs (the console's shell, without the widget's build) and
// scripts/size-report.mjs (each page's size).
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function namedFiles(dist, page) {
  return new Set([...readFileSync(join(dist, page), "utf8").matchAll(/(?:\.\/)+([^"'\s>]+)/g)].map((match) => match[1]));
}
