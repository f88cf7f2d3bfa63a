// Lint rules, including the house boundary: the pure modules never import the editor or the disk.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const pureBoundary = {
  paths: [
    { name: 'vscode', message: 'Pure modules must not depend on the editor; put host code in src/vscode.' },
  ],
};
const noFs = [
  { name: 'fs', message: 'src/engine takes text, not files: read files at the edge (cli, vscode, kilo).' },
  { name: 'node:fs', message: 'src/engine takes text, not files: read files at the edge (cli, vscode, kilo).' },
  { name: 'fs/promises', message: 'src/engine takes text, not files: read files at the edge.' },
  { name: 'node:fs/promises', message: 'src/engine takes text, not files: read files at the edge.' },
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'coverage/**', 'node_modules/**', 'test-results/**', '.vscode-test/**', '.test-infra/**', 'test/e2e/artifacts/**', '**/fixtures/**', '.corpus/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...pureBoundary.paths, ...noFs] }] },
  },
  {
    files: ['src/patterns/**/*.ts', 'src/review/**/*.ts', 'webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', pureBoundary] },
  },
  {
    // The panel's browser code talks to the host only through the shared protocol file.
    files: ['webview/**/*.ts'],
    ignores: ['webview/protocol.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...pureBoundary,
          patterns: [{ group: ['../*', 'node:*'], message: 'The webview imports only ./protocol and @vscode-elements/elements components.' }],
        },
      ],
    },
  },
  {
    // Config files and ambient module declarations need default exports by their contract.
    files: ['*.config.mjs', 'types/**/*.d.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Kilo loads a plugin through its module's default export.
    files: ['src/kilo/plugin-entry.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai-free tests use node:assert; mocha's `this` and async callbacks are fine here.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
