// Trunk's post_build hook (Trunk.toml): finishes the lazily loaded pages' files, which
// tools/wasm-bindgen writes to wasm-bindgen's snippets/wasm-split-<hash>/ folder and trunk copies
// into the build like any snippet (tools/wasm-bindgen/src/split.rs says why they are there).
// - Trunk runs wasm-opt on the main module only: in a release build, the same -Oz for these.
// - Trunk puts a <link rel=modulepreload> in the page for every snippet file, which for the
//   .wasm files would download every page up front (as scripts, which they are not): removed.
//   The link module's own preload stays: the glue imports it at once.
// Nothing to do in a build without lazy pages (the widget's).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('finish-wasm-split.mjs runs as trunk\'s post_build hook (TRUNK_STAGING_DIR)');
const release = process.env.TRUNK_PROFILE === 'release';

const snippets = join(staging, 'snippets');
const splitDirs = existsSync(snippets)
  ? readdirSync(snippets).filter((name) => name.startsWith('wasm-split-')).map((name) => join(snippets, name))
  : [];
if (release) {
  for (const dir of splitDirs) {
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.wasm'))) {
      const path = join(dir, file);
      // Also without the producers and target_features sections (which the main module keeps):
      // about 200 bytes per file, which nothing reads.
      const run = spawnSync('wasm-opt', ['-Oz', '--strip-producers', '--strip-target-features', path, '-o', path], { encoding: 'utf8' });
      // The split writes a name subsection (id 3, labels) that wasm-opt 132 reads past with a
      // warning per file; -Oz drops the names anyway.
      const said = run.stderr.split('\n').filter((line) => line && !/^warning: unknown name subsection/.test(line));
      if (said.length) console.error(said.join('\n'));
      if (run.status !== 0) throw new Error(`wasm-opt failed on ${path}: ${run.error ?? `exit ${run.status}`}`);
    }
  }
}

// A preload link of a split-off wasm file, minified (unquoted attributes) or not.
const wasmPreload = /<link\b[^>]*\bhref="?[^"\s>]*\/snippets\/wasm-split-[^"\s>]*\.wasm"?[^>]*>/g;
for (const page of readdirSync(staging).filter((name) => name.endsWith('.html'))) {
  const path = join(staging, page);
  const html = readFileSync(path, 'utf8');
  const kept = html.replace(wasmPreload, '');
  if (kept !== html) writeFileSync(path, kept);
}
