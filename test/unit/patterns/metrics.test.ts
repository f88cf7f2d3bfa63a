import assert from 'node:assert/strict';
import { Linter } from 'eslint';
import sonarjs from 'eslint-plugin-sonarjs';
import tseslint from 'typescript-eslint';
import { analyzeText } from '../../../src/patterns/index';
import { host } from './support';

// The contract defines LOGIC_SPIRAL by eslint-plugin-sonarjs' cognitive complexity and ESLint's
// max-depth; these tests hold the detectors' numbers against the real rules on tricky code.
const linter = new Linter();
const config = (rules: Linter.RulesRecord): Linter.Config[] => [
  { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } }, plugins: { sonarjs }, rules },
];

function sonarValues(code: string, file: string): number[] {
  return linter
    .verify(code, config({ 'sonarjs/cognitive-complexity': ['error', 0] }), file)
    .map((m) => Number(/from (\d+) to/.exec(m.message)?.[1] ?? NaN))
    .sort((a, b) => a - b);
}

function eslintMaxDepth(code: string): number {
  const depths = linter.verify(code, config({ 'max-depth': ['error', 0] }), 'x.ts').map((m) => Number(/\((\d+)\)/.exec(m.message)?.[1] ?? 0));
  return Math.max(0, ...depths);
}

async function ours(code: string, file: string): Promise<{ cognitive: number[]; depth: number }> {
  const language = file.endsWith('.tsx') ? 'tsx' : 'typescript';
  await host.ready(language);
  const a = analyzeText(host, file, language, code);
  return { cognitive: a.functions.map((f) => f.cognitive).filter((c) => c > 0).sort((x, y) => x - y), depth: Math.max(0, ...a.functions.map((f) => f.depth)) };
}

const COGNITIVE_CASES: Record<string, string> = {
  'else-if chains and else': `function f(a: number) { if (a > 1) { return 1; } else if (a > 2) { return 2; } else if (a > 3) { return 3; } else { return 4; } }`,
  'nested loops and ifs': `function f(xs: number[][]) { for (const row of xs) { for (const x of row) { if (x) { while (x > 0) { break; } } } } }`,
  'logical sequences': `function f(a: boolean, b: boolean, c: boolean, d: boolean) { if (a && b && c || d) {} if (a || b || c) {} if (a && (b && c)) {} if ((a && b) || (c && d)) {} return a ?? b; }`,
  'negated and mixed logic': `function f(a: boolean, b: boolean, c: boolean) { return !(a && b) && c && !(b || c); }`,
  'nested ternaries': `function f(a: number) { return a > 1 ? (a > 2 ? 'x' : 'y') : a < 0 ? 'z' : 'w'; }`,
  'switch and catch': `function f(a: string) { try { switch (a) { case 'x': if (a) { return 1; } break; default: return 2; } } catch (e) { if (e) { throw e; } } finally { a = ''; } }`,
  'labelled jumps': `function f(xs: number[][]) { outer: for (const r of xs) { for (const x of r) { if (x) continue outer; if (!x) break outer; } } }`,
  'nested functions count on their own': `function f(xs: number[]) { if (xs) { return xs.map((x) => { if (x) { return x > 1 ? 1 : 0; } return 0; }); } const g = function () { for (;;) { if (xs) break; } }; return g; }`,
  'class methods and fields': `class A { m(a: number) { if (a) { for (;;) {} } } f = (b: number) => { while (b) { if (b > 1) { b--; } } }; get g() { return this.f ? 1 : 2; } }`,
  'do-while and for-in': `function f(o: Record<string, number>) { do { for (const k in o) { if (o[k]) { delete o[k]; } } } while (Object.keys(o).length > 0 && o.x); }`,
  'deeply nested conditions': `function f(a: number, b: number) { if (a) { if (b) { if (a > b) { if (a > 2 * b) { if (b > 0 && a > 0) { return a ? b : a; } } } } } return 0; }`,
};

describe('patterns: cognitive complexity equals eslint-plugin-sonarjs', () => {
  for (const [name, code] of Object.entries(COGNITIVE_CASES)) {
    it(`matches sonarjs on ${name}`, async () => {
      assert.deepEqual((await ours(code, 'x.ts')).cognitive, sonarValues(code, 'x.ts'));
    });
  }
  it('leaves JSX short-circuits uncounted, as sonarjs does', async () => {
    const code = `function View(p: { a: boolean; b: boolean; items: string[] }) { if (p.items.length > 0 && p.a) { return <div>{p.a && p.b && <span />}{p.items.map((i) => i && <b key={i} />)}</div>; } return null; }`;
    assert.deepEqual((await ours(code, 'x.tsx')).cognitive, sonarValues(code, 'x.tsx'));
  });
});

const DEPTH_CASES: Record<string, string> = {
  'else-if does not deepen': `function f(a: number) { if (a) { if (a > 1) {} else if (a > 2) { if (a > 3) {} } else { while (a) { a--; } } } }`,
  'try, switch and loops deepen': `function f(xs: number[]) { try { for (const x of xs) { switch (x) { case 1: { do { if (x) { break; } } while (x); } } } } catch { } }`,
  'a nested function starts again': `function f(xs: number[]) { if (xs) { xs.forEach((x) => { if (x) { if (x > 1) {} } }); } }`,
  'five levels': `function f(a: number) { if (a) { for (;;) { while (a) { try { if (a > 1) { a--; } } finally { a = 0; } } } } }`,
};

describe('patterns: nesting depth equals ESLint max-depth', () => {
  for (const [name, code] of Object.entries(DEPTH_CASES)) {
    it(`matches max-depth on ${name}`, async () => {
      assert.equal((await ours(code, 'x.ts')).depth, eslintMaxDepth(code));
    });
  }
});
