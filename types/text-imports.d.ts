/** Files imported as text: esbuild's `text` loader in the bundles, `test/support/register-text.cjs` in tests. */
declare module '*.yaml' {
  const text: string;
  export default text;
}
