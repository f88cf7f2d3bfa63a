// Entry of dist/anthropic-sdk.js: the SDK in a bundle of its own, required on the first review
// (see scripts/esbuild-lazy-sdk.mjs). Nothing else may import it.
export * from '@anthropic-ai/sdk';
