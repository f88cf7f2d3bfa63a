// Builds every bundle. `--production` minifies and drops source maps; `--watch` rebuilds on change.
// One entry per bundle; the default routing config is embedded as text through the `.yaml` loader.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { lazyAnthropicSdk, SDK_BUNDLE } from './scripts/esbuild-lazy-sdk.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Reports problems in the format of VS Code's `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const shared = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  loader: { '.yaml': 'text' },
  plugins: watch ? [problemMatcher] : [],
};

const node = { ...shared, platform: 'node', target: 'node20', format: 'cjs', plugins: [...shared.plugins, lazyAnthropicSdk] };

/** For the bundles that carry the pattern detectors: their wasm files are in dist/grammars/ (see copyGrammars). */
const besideGrammars = { define: { GRAMMARS_BESIDE_BUNDLE: 'true' } };

/** Every bundle the project ships. Entries whose source does not exist yet are skipped. */
const bundles = [
  { ...node, ...besideGrammars, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The pattern detectors on their own, required by the extension on the first analysed edit.
  { ...node, ...besideGrammars, entryPoints: ['src/patterns/index.ts'], outfile: 'dist/patterns.js' },
  { ...shared, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The Anthropic SDK on its own, loaded on the first review by the bundles above (not through the plugin).
  { ...node, entryPoints: ['src/review/sdk-entry.ts'], outfile: `dist/${SDK_BUNDLE}`, plugins: shared.plugins },
  // The Kilo plugin: one self-contained ESM file that Kilo loads from .kilo/plugin/ (no source
  // map, so the installed copy stands alone). The banner gives bundled CommonJS code (yaml) the
  // `require` of Node builtins that an ES module lacks.
  {
    ...node,
    plugins: shared.plugins,
    format: 'esm',
    sourcemap: false,
    entryPoints: ['src/kilo/plugin-entry.ts'],
    outfile: 'dist/kilo-plugin.js',
    banner: { js: "import { createRequire as __cr_createRequire } from 'node:module'; const require = __cr_createRequire(import.meta.url);" },
  },
].filter((b) => existsSync(b.entryPoints[0]));

/**
 * The pattern detectors load web-tree-sitter's runtime and one grammar per language lazily, from
 * dist/grammars/ beside the bundle (the packaged extension ships dist/ only).
 */
function copyGrammars() {
  const require = createRequire(import.meta.url);
  const runtimeDir = path.dirname(require.resolve('web-tree-sitter'));
  const grammarDir = path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  const out = path.join('dist', 'grammars');
  mkdirSync(out, { recursive: true });
  copyFileSync(path.join(runtimeDir, 'web-tree-sitter.wasm'), path.join(out, 'web-tree-sitter.wasm'));
  for (const lang of ['typescript', 'tsx', 'javascript', 'python', 'go', 'java', 'rust']) {
    copyFileSync(path.join(grammarDir, `tree-sitter-${lang}.wasm`), path.join(out, `tree-sitter-${lang}.wasm`));
  }
}
copyGrammars();

const contexts = await Promise.all(bundles.map((b) => esbuild.context(b)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}
