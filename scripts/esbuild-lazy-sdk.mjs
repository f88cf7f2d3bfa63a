// Keeps the Anthropic SDK out of the bundles that use the reviewer: `import('@anthropic-ai/sdk')`
// becomes a plain `require('./anthropic-sdk.js')` (the SDK's own bundle, beside them in dist/)
// that runs on the first review, so loading the extension or the CLI never parses the SDK.
// A CommonJS require rather than a native import(), because not every extension host supports
// import() from a CommonJS extension. A static import of the SDK would defeat all this, so it
// is a build error.

/** The SDK's own bundle, built from src/review/sdk-entry.ts. */
export const SDK_BUNDLE = 'anthropic-sdk.js';

const NS = 'lazy-anthropic-sdk';

/** @type {import('esbuild').Plugin} */
export const lazyAnthropicSdk = {
  name: 'lazy-anthropic-sdk',
  setup(build) {
    build.onResolve({ filter: /^@anthropic-ai\/sdk(\/.*)?$/ }, (args) => {
      if (args.kind === 'dynamic-import' && args.path === '@anthropic-ai/sdk') return { path: SDK_BUNDLE, namespace: NS };
      return {
        errors: [{ text: `${args.importer}: load @anthropic-ai/sdk only with \`await import('@anthropic-ai/sdk')\` (src/review/client.ts), so it stays out of the bundle until the first review` }],
      };
    });
    // A one-line CommonJS module: esbuild wraps it to run on first use, and its require stays external.
    build.onLoad({ filter: /.*/, namespace: NS }, () => ({ contents: `module.exports = require('./${SDK_BUNDLE}');`, loader: 'js' }));
    build.onResolve({ filter: new RegExp(`^\\./${SDK_BUNDLE.replace('.', '\\.')}$`), namespace: NS }, (args) => ({ path: args.path, external: true }));
  },
};
