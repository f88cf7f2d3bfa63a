/**
 * The SDK stays out of the bundles until the first review: built with the project's esbuild
 * plugin, the review bundle holds none of the SDK's code, and a Node process that loads it
 * requires `anthropic-sdk.js` only when a review is requested. The built CLI then reviews a
 * file against the 127.0.0.1 server through that separate file.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
import { MessagesServer } from '../../support/messages-server';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const KEY = 'sk-ant-api03-lazy-test-key-0123456789';

interface LazyPluginModule {
  lazyAnthropicSdk: Plugin;
  SDK_BUNDLE: string;
}

describe('the Anthropic SDK loads lazily from its own bundle', function () {
  this.timeout(60_000);
  let out: string;
  let server: MessagesServer;
  let metafile: Metafile;
  let sdkBundle: string;

  before(async () => {
    const esbuild = await import('esbuild');
    const plugin = (await import(path.join(root, 'scripts/esbuild-lazy-sdk.mjs'))) as LazyPluginModule;
    sdkBundle = plugin.SDK_BUNDLE;
    out = mkdtempSync(path.join(tmpdir(), 'lazy-sdk-'));
    const node: BuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent', loader: { '.yaml': 'text' }, absWorkingDir: root };
    const [review] = await Promise.all([
      esbuild.build({ ...node, entryPoints: ['src/review/index.ts'], outfile: path.join(out, 'review.js'), plugins: [plugin.lazyAnthropicSdk], metafile: true }),
      esbuild.build({ ...node, entryPoints: ['src/cli.ts'], outfile: path.join(out, 'cli.js'), plugins: [plugin.lazyAnthropicSdk] }),
      esbuild.build({ ...node, entryPoints: ['src/review/sdk-entry.ts'], outfile: path.join(out, sdkBundle) }),
    ]);
    metafile = review.metafile;
    server = await MessagesServer.start();
  });
  after(async () => {
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('keeps every SDK source file out of the review bundle', () => {
    const inputs = Object.keys(metafile.inputs);
    assert.ok(inputs.some((i) => i.startsWith('src/review/')), 'the review module itself is bundled');
    assert.deepEqual(inputs.filter((i) => i.includes('@anthropic-ai')), []);
  });

  it('requires the SDK bundle on the first review, not on load', async () => {
    const script = `
      const loaded = () => Object.keys(require.cache).some((f) => f.endsWith(${JSON.stringify(path.sep + sdkBundle)}));
      const { CodeReviewer } = require(${JSON.stringify(path.join(out, 'review.js'))});
      const reviewer = new CodeReviewer({
        settings: { enabled: true, endpoint: process.env.ENDPOINT, model: 'review-model-under-test', timeoutMs: 5000, cache: true, cacheTtlMs: 86400000, maxCodeChars: 2000 },
        env: { ANTHROPIC_API_KEY: ${JSON.stringify(KEY)} },
      });
      const afterLoad = loaded();
      const status = reviewer.status();
      const afterStatus = loaded();
      reviewer.requestReview({ code: 'const x = 1;', modelId: 'm' }).then((o) => {
        console.log(JSON.stringify({ afterLoad, afterStatus, afterReview: loaded(), ok: o.ok, state: status.state }));
      });`;
    const { stdout } = await run(process.execPath, ['-e', script], { env: { ...process.env, ENDPOINT: server.url } });
    assert.deepEqual(JSON.parse(stdout), { afterLoad: false, afterStatus: false, afterReview: true, ok: true, state: 'ready' });
    assert.equal(server.requests.length, 1);
  });

  it('the built CLI reviews a file through the separate SDK bundle', async () => {
    const file = path.join(out, 'sample.ts');
    writeFileSync(file, 'export const twice = (n: number): number => n * 2;\n');
    writeFileSync(path.join(out, 'review.yaml'), 'routing:\n  convergence:\n    opus:\n      model: review-model-under-test\n');
    const before = server.requests.length;
    const { stdout } = await run(process.execPath, [path.join(out, 'cli.js'), 'review', file, '--json', '--config', path.join(out, 'review.yaml')], {
      cwd: out,
      env: { PATH: process.env['PATH'] ?? '', ANTHROPIC_API_KEY: KEY, CLAUDE_API_ENDPOINT: server.url, XDG_CACHE_HOME: path.join(out, 'cache') },
    });
    const json = JSON.parse(stdout) as { source: string; robustness: number };
    assert.equal(json.source, 'claude');
    assert.equal(json.robustness, 82);
    assert.equal(server.requests.length, before + 1);
  });

  it('refuses a static import of the SDK at build time', async () => {
    const esbuild = await import('esbuild');
    const plugin = (await import(path.join(root, 'scripts/esbuild-lazy-sdk.mjs'))) as LazyPluginModule;
    const entry = path.join(out, 'static.ts');
    writeFileSync(entry, "import { Anthropic } from '@anthropic-ai/sdk';\nexport const client = Anthropic;\n");
    await assert.rejects(
      esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', write: false, logLevel: 'silent', plugins: [plugin.lazyAnthropicSdk], absWorkingDir: root }),
      /load @anthropic-ai\/sdk only with `await import/,
    );
  });
});
