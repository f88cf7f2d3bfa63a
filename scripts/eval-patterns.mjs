#!/usr/bin/env node
// Scores the pattern detectors against the tools the pattern contract names, over a directory of
// real code: ESLint + eslint-plugin-sonarjs (cognitive complexity, max-depth, empty catch, ignored
// exceptions, identical functions), jscpd 4 (token clones), dependency-cruiser (import cycles,
// fan-out) and, for Python, Ruff (S110, PLR1702). Prints precision and recall per pattern.
//
// Usage: npm run eval:patterns -- <dir> [--verbose] [--json out.json]
//
// A tool's report becomes a "unit" the detectors must find (positive) or may find (dontcare: the
// places where the contract's words and the tool's exact behaviour part ways). A finding is right
// when it overlaps a positive unit of its pattern in the same file; findings that overlap only
// dontcare units count neither way. A finding is scored only where a tool covers its language and
// pattern: JS/TS all four; Python the nesting half of LOGIC_SPIRAL (Ruff has no cognitive
// complexity), ERROR_SWALLOWING and token clones; Go, Java and Rust token clones only (jscpd).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Linter } from 'eslint';
import sonarjs from 'eslint-plugin-sonarjs';
import tseslint from 'typescript-eslint';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
require('tsx/cjs');
require(path.join(root, 'test/support/register-text.cjs'));
const { analyzeFiles } = require(path.join(root, 'src/patterns/index.ts'));

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const dirArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--json');
if (!dirArg) {
  console.error('usage: npm run eval:patterns -- <dir> [--verbose] [--json out.json]');
  process.exit(2);
}
const DIR = path.resolve(dirArg);
if (!existsSync(DIR) || !statSync(DIR).isDirectory()) {
  console.error(`eval:patterns: ${DIR} is not a directory`);
  process.exit(2);
}

const JS_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const PY_EXT = /\.py$/;
const OTHER_EXT = /\.(go|java|rs)$/;
const SKIP = /(^|\/)(node_modules|dist|build|coverage|\.git)\/|\.d\.[cm]?ts$|\.min\.js$/;
const TEST = /(^|\/)(test|tests|__tests__|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)(test_[^/]*|[^/]*_test)\.py$/;

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.filter((f) => (JS_EXT.test(f) || PY_EXT.test(f) || OTHER_EXT.test(f)) && !SKIP.test(`/${f}`) && !TEST.test(f) && !/_test\.go$/.test(f)).sort();
}

const files = listFiles(DIR);
const texts = Object.fromEntries(files.map((f) => [f, readFileSync(path.join(DIR, f), 'utf8')]));
const lineCount = (t) => t.split('\n').length;
const units = [];
const unitKeys = new Map();
// Several reports can name one span (each too-deep statement of a function, say): one unit each.
const unit = (file, pattern, startLine, endLine, status, rule, note = '') => {
  const u = { file, pattern, startLine, endLine: Math.max(startLine, endLine ?? startLine), status, rule, note };
  const key = `${file}|${pattern}|${u.startLine}|${u.endLine}`;
  const prev = unitKeys.get(key);
  if (!prev) {
    unitKeys.set(key, u);
    units.push(u);
  } else if (status === 'positive' && prev.status !== 'positive') Object.assign(prev, { status, rule, note });
};

// ---------------------------------------------------------------- ESLint + sonarjs
// A recorder rule keeps the spans the reports are mapped to: functions (a method's span is the
// whole member, because sonarjs reports a method at its name), catch clauses and the statements
// max-depth counts.
const spans = {};
const recorder = {
  meta: { type: 'suggestion', schema: [] },
  create(context) {
    const file = context.filename;
    const s = (spans[file] = { fns: [], catches: [], blocks: [] });
    const loc = (n) => [n.loc.start.line, n.loc.end.line, n.loc.start.column];
    const fn = (n) => {
      const p = n.parent;
      const member = p && ['MethodDefinition', 'Property', 'PropertyDefinition'].includes(p.type) && p.value === n;
      s.fns.push({ span: loc(member ? p : n), raw: loc(n) });
    };
    const block = (n) => s.blocks.push(loc(n));
    return {
      FunctionDeclaration: fn,
      FunctionExpression: fn,
      ArrowFunctionExpression: fn,
      CatchClause(n) {
        const refs = n.param?.type === 'Identifier' ? context.sourceCode.getDeclaredVariables(n).reduce((a, v) => a + v.references.length, 0) : null;
        const tryBody = n.parent.block.body;
        let first = tryBody[0];
        while (first?.type === 'LabeledStatement') first = first.body;
        const simple = tryBody.length === 1 && !['BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement', 'SwitchStatement'].includes(first.type);
        s.catches.push({ span: loc(n), body: loc(n.body), param: n.param?.type ?? null, refs, bodyLen: n.body.body.length, simple });
      },
      IfStatement: block,
      SwitchStatement: block,
      TryStatement: block,
      DoWhileStatement: block,
      WhileStatement: block,
      WithStatement: block,
      ForStatement: block,
      ForInStatement: block,
      ForOfStatement: block,
    };
  },
};

const EMPTY_PROMISE_CATCH = "CallExpression[callee.property.name='catch'] > :matches(ArrowFunctionExpression, FunctionExpression)[body.type='BlockStatement'][body.body.length=0]";
const eslintConfig = [
  {
    files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
    plugins: { sonarjs, evalrec: { rules: { spans: recorder } } },
    rules: {
      'sonarjs/cognitive-complexity': ['error', 15],
      'max-depth': ['error', 4],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'sonarjs/no-ignored-exceptions': 'error',
      'sonarjs/no-identical-functions': ['error', 3],
      'no-restricted-syntax': ['error', { selector: EMPTY_PROMISE_CATCH, message: 'empty-promise-catch' }],
      'evalrec/spans': 'error',
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
];

const inside = (span, line, col = 0) => (line > span[0] || (line === span[0] && col >= span[2])) && line <= span[1];
function innermost(list, line, col) {
  let best;
  for (const x of list) if (inside(x.span, line, col) && (!best || x.span[1] - x.span[0] <= best.span[1] - best.span[0])) best = x;
  return best;
}

const linter = new Linter({ cwd: DIR });
let eslintMs = 0;
let parseErrors = 0;
for (const f of files.filter((x) => JS_EXT.test(x))) {
  const t0 = performance.now();
  const messages = linter.verify(texts[f], eslintConfig, { filename: path.join(DIR, f) });
  eslintMs += performance.now() - t0;
  const s = spans[path.join(DIR, f)] ?? { fns: [], catches: [], blocks: [] };
  const flaggedCatches = new Set();
  for (const m of messages) {
    if (m.fatal) {
      parseErrors++;
      continue;
    }
    switch (m.ruleId) {
      case 'sonarjs/cognitive-complexity': {
        const fn = innermost(s.fns, m.line, m.column - 1);
        unit(f, 'LOGIC_SPIRAL', fn?.span[0] ?? m.line, fn?.span[1] ?? m.endLine, 'positive', m.ruleId, m.message);
        break;
      }
      case 'max-depth': {
        const fn = innermost(s.fns, m.line, m.column - 1);
        const stmt = s.blocks.find((b) => b[0] === m.line && b[2] === m.column - 1);
        if (fn) unit(f, 'LOGIC_SPIRAL', fn.span[0], fn.span[1], 'positive', m.ruleId, m.message);
        else unit(f, 'LOGIC_SPIRAL', m.line, stmt?.[1] ?? m.line, 'positive', m.ruleId, m.message);
        break;
      }
      case 'no-empty': {
        const c = s.catches.find((x) => x.body[0] === m.line && x.body[2] === m.column - 1);
        if (c) flaggedCatches.add(c);
        break;
      }
      case 'sonarjs/no-ignored-exceptions': {
        const c = s.catches.find((x) => x.span[0] === m.line && x.span[2] === m.column - 1);
        if (c) flaggedCatches.add(c);
        break;
      }
      case 'no-restricted-syntax': {
        const seg = texts[f].split('\n').slice(m.line - 1, m.endLine).join('\n');
        const commented = /\/\/|\/\*/.test(seg.slice(m.column - 1));
        unit(f, 'ERROR_SWALLOWING', m.line, m.endLine, commented ? 'dontcare' : 'positive', 'empty-promise-catch', commented ? 'comment inside' : '');
        break;
      }
      case 'sonarjs/no-identical-functions': {
        const copy = innermost(s.fns, m.line, m.column - 1);
        if (copy) unit(f, 'REPEATED_SIMILAR_BLOCKS', copy.span[0], copy.span[1], 'positive', m.ruleId, m.message);
        const n = Number(/on line (\d+)/.exec(m.message)?.[1]);
        const originals = s.fns.filter((x) => x.raw[0] === n || x.span[0] === n);
        const original = originals.sort((a, b) => b.span[1] - b.span[0] - (a.span[1] - a.span[0]))[0];
        if (original) unit(f, 'REPEATED_SIMILAR_BLOCKS', original.span[0], original.span[1], 'positive', m.ruleId, `original of line ${m.line}`);
        break;
      }
      default:
        break;
    }
  }
  for (const c of s.catches) {
    if (flaggedCatches.has(c)) unit(f, 'ERROR_SWALLOWING', c.span[0], c.span[1], 'positive', 'no-empty/no-ignored-exceptions');
    // The contract says "a caught error never used"; sonarjs exempts some such catches. Either reading is accepted.
    else if (c.bodyLen > 0 && (c.param === null || (c.refs === 0 && (c.simple || c.param !== 'Identifier')))) unit(f, 'ERROR_SWALLOWING', c.span[0], c.span[1], 'dontcare', 'unused-error-exempt');
  }
}

// ---------------------------------------------------------------- jscpd (both copies of every clone)
let jscpdMs;
{
  const out = mkdtempSync(path.join(tmpdir(), 'eval-jscpd-'));
  const t0 = performance.now();
  const bin = path.join(root, 'node_modules', 'jscpd', 'bin', 'jscpd');
  const r = spawnSync(process.execPath, [bin, '--silent', '--reporters', 'json', '--output', out, '--min-tokens', '50', '--min-lines', '5', '--max-lines', '1000000', '--max-size', '50mb', '--no-gitignore', '--mode', 'mild', ...files], { cwd: DIR, encoding: 'utf8', maxBuffer: 1 << 26 });
  jscpdMs = performance.now() - t0;
  const report = path.join(out, 'jscpd-report.json');
  if (!existsSync(report)) {
    console.error(`eval:patterns: jscpd failed: ${r.stderr || r.stdout}`);
    process.exit(1);
  }
  for (const d of JSON.parse(readFileSync(report, 'utf8')).duplicates) {
    for (const [a, b] of [[d.firstFile, d.secondFile], [d.secondFile, d.firstFile]]) {
      unit(a.name.replace(/^\.\//, ''), 'REPEATED_SIMILAR_BLOCKS', a.start, a.end, 'positive', 'jscpd', `clone of ${b.name}:${b.start}`);
    }
  }
  rmSync(out, { recursive: true, force: true });
}

// ---------------------------------------------------------------- dependency-cruiser
function sccMembers(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const on = new Set();
  const stack = [];
  const member = new Set();
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph[v] ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph[v] ?? []).includes(v)) for (const x of comp) member.add(x);
    }
  };
  for (const v of Object.keys(graph)) if (!idx.has(v)) visit(v);
  return member;
}
let depcruiseMs = 0;
{
  const jsFiles = files.filter((f) => JS_EXT.test(f));
  if (jsFiles.length > 0) {
    const t0 = performance.now();
    const cwd = process.cwd();
    process.chdir(DIR);
    const result = await cruise(jsFiles, { baseDir: DIR, tsPreCompilationDeps: 'specify', doNotFollow: { path: 'node_modules' } }, {}, {});
    process.chdir(cwd);
    depcruiseMs = performance.now() - t0;
    const mods = result.output.modules.filter((m) => texts[m.source] !== undefined);
    const graphWithout = (types) => Object.fromEntries(mods.map((m) => [m.source, [...new Set(m.dependencies.filter((d) => texts[d.resolved] !== undefined && !d.dependencyTypes.some((t) => types.includes(t))).map((d) => d.resolved))]]));
    const loose = sccMembers(graphWithout(['type-only']));
    const strict = sccMembers(graphWithout(['type-only', 'pre-compilation-only']));
    for (const m of mods) {
      const runtime = m.dependencies.filter((d) => !d.coreModule && !d.dependencyTypes.some((t) => t === 'type-only' || t === 'pre-compilation-only'));
      const fanMin = new Set(runtime.map((d) => d.resolved)).size;
      const fanMax = Math.max(new Set(m.dependencies.map((d) => d.resolved)).size, new Set(m.dependencies.map((d) => d.module)).size);
      const end = lineCount(texts[m.source]);
      if (strict.has(m.source) || fanMin > 10) unit(m.source, 'TIGHT_COUPLING', 1, end, 'positive', strict.has(m.source) ? 'no-circular' : 'fan-out', `fan-out ${fanMin}`);
      else if (loose.has(m.source) || fanMax > 10) unit(m.source, 'TIGHT_COUPLING', 1, end, 'dontcare', 'coupling-by-some-count', `fan-out ${fanMin}..${fanMax}`);
    }
  }
}

// ---------------------------------------------------------------- Python: Ruff
let ruffMs = 0;
{
  const pyFiles = files.filter((f) => PY_EXT.test(f));
  if (pyFiles.length > 0) {
    const t0 = performance.now();
    const ruff = require('@astral-sh/ruff-wasm-nodejs');
    const ws = new ruff.Workspace(
      { lint: { select: ['S110', 'S112', 'PLR1702'], preview: true, 'flake8-bandit': { 'check-typed-exception': true }, pylint: { 'max-nested-blocks': 4 } } },
      ruff.PositionEncoding.Utf16,
    );
    for (const f of pyFiles) {
      for (const d of ws.check(texts[f])) {
        const [a, b] = [d.start_location.row, d.end_location.row];
        if (d.code === 'try-except-pass' || d.code === 'S110') unit(f, 'ERROR_SWALLOWING', a, b, 'positive', 'ruff:S110');
        else if (d.code === 'try-except-continue' || d.code === 'S112') unit(f, 'ERROR_SWALLOWING', a, b, 'dontcare', 'ruff:S112');
        else if (d.code === 'too-many-nested-blocks' || d.code === 'PLR1702') unit(f, 'LOGIC_SPIRAL', a, b, 'positive', 'ruff:PLR1702', d.message);
      }
    }
    ruffMs = performance.now() - t0;
  }
}

// ---------------------------------------------------------------- the detectors, and the score
const t0 = performance.now();
const ours = await analyzeFiles(files.map((f) => ({ file: f, text: texts[f] })));
const oursMs = performance.now() - t0;
const PATTERNS = ['LOGIC_SPIRAL', 'ERROR_SWALLOWING', 'REPEATED_SIMILAR_BLOCKS', 'TIGHT_COUPLING'];
const overlaps = (a, b) => a.file === b.file && a.startLine <= b.endLine && b.startLine <= a.endLine;
function scored(x) {
  if (JS_EXT.test(x.file)) return true;
  // sonarjs no-identical-functions reads JS/TS only; jscpd is the only clone oracle elsewhere.
  if (x.pattern === 'REPEATED_SIMILAR_BLOCKS' && / has the same body as /.test(x.message)) return false;
  if (PY_EXT.test(x.file)) {
    if (x.pattern === 'TIGHT_COUPLING') return false;
    return !(x.pattern === 'LOGIC_SPIRAL' && !/nesting depth/.test(x.message));
  }
  return x.pattern === 'REPEATED_SIMILAR_BLOCKS';
}
const summary = {};
const details = {};
for (const p of PATTERNS) {
  const pos = units.filter((u) => u.pattern === p && u.status === 'positive');
  const dc = units.filter((u) => u.pattern === p && u.status === 'dontcare');
  const found = ours.files.flatMap((f) => f.findings).filter((x) => x.pattern === p && scored(x));
  const tp = found.filter((x) => pos.some((u) => overlaps(x, u)));
  const fp = found.filter((x) => !pos.some((u) => overlaps(x, u)) && !dc.some((u) => overlaps(x, u)));
  const recalled = pos.filter((u) => found.some((x) => overlaps(x, u)));
  const precision = tp.length + fp.length === 0 ? 1 : tp.length / (tp.length + fp.length);
  const recall = pos.length === 0 ? 1 : recalled.length / pos.length;
  summary[p] = { units: pos.length, dontcare: dc.length, findings: found.length, truePositives: tp.length, falsePositives: fp.length, recalled: recalled.length, precision: Math.round(precision * 1000) / 1000, recall: Math.round(recall * 1000) / 1000 };
  details[p] = { falsePositives: fp, missed: pos.filter((u) => !recalled.includes(u)) };
}

console.log(`eval:patterns ${DIR}`);
console.log(`${files.length} files (${files.filter((f) => PY_EXT.test(f)).length} Python, ${files.filter((f) => OTHER_EXT.test(f)).length} Go/Java/Rust), ${Object.values(texts).reduce((a, t) => a + lineCount(t), 0)} lines; ESLint parse errors: ${parseErrors}`);
console.log(`tool time: ESLint ${Math.round(eslintMs)} ms, jscpd ${Math.round(jscpdMs)} ms, dependency-cruiser ${Math.round(depcruiseMs)} ms, Ruff ${Math.round(ruffMs)} ms; detectors ${Math.round(oursMs)} ms`);
console.log('');
console.log(`${'pattern'.padEnd(24)} ${'units'.padStart(6)} ${'dontcare'.padStart(8)} ${'found'.padStart(6)} ${'TP'.padStart(5)} ${'FP'.padStart(5)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}`);
for (const p of PATTERNS) {
  const s = summary[p];
  console.log(`${p.padEnd(24)} ${String(s.units).padStart(6)} ${String(s.dontcare).padStart(8)} ${String(s.findings).padStart(6)} ${String(s.truePositives).padStart(5)} ${String(s.falsePositives).padStart(5)} ${s.precision.toFixed(3).padStart(9)} ${s.recall.toFixed(3).padStart(7)}`);
}
if (verbose) {
  for (const p of PATTERNS) {
    for (const x of details[p].falsePositives) console.log(`FP ${p} ${x.file}:${x.startLine}-${x.endLine} ${x.message}`);
    for (const u of details[p].missed) console.log(`FN ${p} ${u.file}:${u.startLine}-${u.endLine} [${u.rule}] ${u.note}`);
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ dir: DIR, summary, details, units }, null, 1));
