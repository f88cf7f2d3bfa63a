import type { PatternName } from '../engine/index';
import type { UnitText } from './metrics';
import {
  cognitiveComplexity,
  functionName,
  nestingDepth,
  parameterCount,
  parameterNames,
  statements,
  textOf,
} from './metrics';
import type { SNode } from './syntax';
import { LineIndex, field, walk } from './syntax';
import { tokenize } from './tokens';
import type { LanguageId } from './types';

/** sonarjs `cognitive-complexity` default. */
export const COGNITIVE_LIMIT = 15;
/** ESLint `max-depth` default. */
export const DEPTH_LIMIT = 4;
/** sonarjs `no-identical-functions` default: body of at least this many lines. */
export const IDENTICAL_MIN_LINES = 3;

/** A finding inside a unit: lines are 0-based and relative to the unit's first line. */
export interface UnitFinding {
  pattern: PatternName;
  startLine: number;
  endLine: number;
  strength: number;
  message: string;
}

/** A function as the file-level detectors see it. */
export interface FunctionSummary {
  name: string | undefined;
  startLine: number;
  endLine: number;
  /** Cognitive complexity (sonarjs S3776, the function's own). */
  cognitive: number;
  /** Deepest block nesting inside the function (ESLint max-depth). */
  depth: number;
  /** Set when the function is one sonarjs `no-identical-functions` compares (see {@link identityKey}). */
  identity: Identity | undefined;
}

/**
 * What identifies a function body for `no-identical-functions`: a cheap signature to find
 * candidates, and the body text whose tokens are compared only when two signatures meet.
 */
export interface Identity {
  sig: string;
  body: string;
  language: LanguageId;
  key?: string;
}

/** The body's tokens (comments and the outer braces left out), computed once. */
export function identityKey(id: Identity): string {
  if (id.key === undefined) {
    const toks = tokenize(id.body, id.language).filter((x) => !/^(\/\/|\/\*|#)/.test(x.value));
    if (toks[0]?.value === '{') toks.shift();
    if (toks[toks.length - 1]?.value === '}') toks.pop();
    id.key = toks.map((x) => x.value).join('\u0001');
  }
  return id.key;
}

/** One module a unit imports. */
export interface ImportRef {
  specifier: string;
  /** `import type …` / `export type … from`: not a runtime edge. */
  typeOnly: boolean;
}

/** What one unit (a top-level statement or class member) contributes to its file. */
export interface UnitAnalysis {
  findings: UnitFinding[];
  functions: FunctionSummary[];
  imports: ImportRef[];
  classes: number;
  /** Detectors that threw, with their message; the others still ran. */
  failures: string[];
}

/** Everything a detector may look at. */
export interface UnitContext extends UnitText {
  language: LanguageId;
  root: SNode;
  lines: LineIndex;
  /** The unit is exported (export statement, `pub`, `public`, capitalised Go name…). */
  exported: boolean;
  fns: FnInfo[];
  /** Every node in document order. */
  all: SNode[];
}

interface FnInfo {
  node: SNode;
  name: string | undefined;
  cognitive: number;
  depth: number;
  deep: SNode[];
  params: number;
  startLine: number;
  endLine: number;
}

const clamp = (x: number): number => Math.max(0, Math.min(1, x));
const round = (x: number): number => Math.round(x * 100) / 100;

function span(ctx: UnitContext, n: SNode): { startLine: number; endLine: number } {
  return { startLine: ctx.lines.lineOf(n.start), endLine: ctx.lines.endLineOf(n.start, n.end) };
}

function finding(ctx: UnitContext, pattern: PatternName, n: SNode, strength: number, message: string): UnitFinding {
  return { pattern, ...span(ctx, n), strength: round(clamp(strength)), message };
}

/** Calls: the callee's last name (`fs.readFile` → `readFile`) and the full callee text. */
function callee(ctx: UnitContext, call: SNode): { name: string; full: string } | undefined {
  const fnNode = field(call, 'function') ?? field(call, 'constructor') ?? field(call, 'macro') ?? field(call, 'name');
  if (!fnNode) return undefined;
  let full = textOf(ctx, fnNode);
  if (call.type === 'method_invocation') {
    const obj = field(call, 'object');
    full = obj ? `${textOf(ctx, obj)}.${full}` : full;
  }
  const m = /([A-Za-z_$][\w$]*)\s*(?:::<[^>]*>)?$/.exec(full);
  return { name: m?.[1] ?? full, full };
}

function argumentsOf(call: SNode): SNode[] {
  const args = field(call, 'arguments');
  return args ? args.children.filter((c) => c.named) : [];
}

function containsIdentifier(ctx: UnitContext, n: SNode, names: ReadonlySet<string>): string | undefined {
  let hit: string | undefined;
  walk(n, (x) => {
    if (hit) return false;
    if (ctx.spec.identifiers.has(x.type) && names.has(textOf(ctx, x))) hit = textOf(ctx, x);
    return true;
  });
  return hit;
}

/** Every node of the unit in document order (collected once per unit). */
function eachNode(ctx: UnitContext, visit: (n: SNode) => unknown): void {
  for (const n of ctx.all) visit(n);
}

function enclosingFunction(ctx: UnitContext, n: SNode): SNode | undefined {
  for (let p = n.parent; p; p = p.parent) if (ctx.spec.functions.has(p.type)) return p;
  return undefined;
}

// ---------------------------------------------------------------- LOGIC_SPIRAL

function logicSpiral(ctx: UnitContext): UnitFinding[] {
  const out: UnitFinding[] = [];
  for (const f of ctx.fns) {
    const reasons: string[] = [];
    let excess = 0;
    if (f.cognitive > COGNITIVE_LIMIT) {
      reasons.push(`cognitive complexity ${f.cognitive} > ${COGNITIVE_LIMIT}`);
      excess = Math.max(excess, (f.cognitive - COGNITIVE_LIMIT) / COGNITIVE_LIMIT);
    }
    if (f.depth > DEPTH_LIMIT) {
      const first = f.deep[0];
      reasons.push(`nesting depth ${f.depth} > ${DEPTH_LIMIT}${first ? ` at line +${ctx.lines.lineOf(first.start) - f.startLine}` : ''}`);
      excess = Math.max(excess, (f.depth - DEPTH_LIMIT) / DEPTH_LIMIT);
    }
    if (reasons.length === 0) continue;
    const label = f.name ? `${f.name}: ` : '';
    out.push({ pattern: 'LOGIC_SPIRAL', startLine: f.startLine, endLine: f.endLine, strength: round(clamp(0.5 + excess)), message: `${label}${reasons.join('; ')}` });
  }
  // Top-level code too deep: each statement past the limit is its own place.
  if (ctx.spec.functions.has(ctx.root.type)) return out;
  const top = nestingDepth(ctx, ctx.root, DEPTH_LIMIT);
  for (const d of top.deep) {
    out.push(finding(ctx, 'LOGIC_SPIRAL', d.node, 0.5 + (d.depth - DEPTH_LIMIT) / DEPTH_LIMIT, `top-level nesting depth ${d.depth} > ${DEPTH_LIMIT}`));
  }
  return out;
}

// ---------------------------------------------------------------- ERROR_SWALLOWING / ROBUST_ERROR_HANDLING

const NON_SIMPLE = new Set(['statement_block', 'block', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'enhanced_for_statement']);

function hasCommentInside(ctx: UnitContext, n: SNode, meaningful: boolean): boolean {
  let found = false;
  walk(n, (x) => {
    if (found) return false;
    if (ctx.spec.comments.has(x.type)) {
      const body = textOf(ctx, x).replace(/^\/\/|^\/\*|\*\/$|^#/g, '').trim();
      if (!meaningful || body.length > 0) found = true;
    }
    return true;
  });
  return found;
}

function usesName(ctx: UnitContext, n: SNode, name: string): boolean {
  return containsIdentifier(ctx, n, new Set([name])) !== undefined;
}

/** The binding a catch clause declares, if it is a plain identifier. */
function catchBinding(ctx: UnitContext, c: SNode): { kind: 'none' | 'identifier' | 'pattern'; name?: string } {
  if (ctx.language === 'java') {
    const p = c.children.find((x) => x.type === 'catch_formal_parameter');
    const n = p ? field(p, 'name') : undefined;
    return n ? { kind: 'identifier', name: textOf(ctx, n) } : { kind: 'none' };
  }
  if (ctx.language === 'python') {
    const asPattern = c.children.find((x) => x.type === 'as_pattern');
    const alias = asPattern ? field(asPattern, 'alias') : undefined;
    const id = alias ? (alias.type === 'identifier' ? alias : alias.children.find((x) => x.type === 'identifier')) : undefined;
    return id ? { kind: 'identifier', name: textOf(ctx, id) } : { kind: 'none' };
  }
  const p = field(c, 'parameter');
  if (!p) return { kind: 'none' };
  return p.type === 'identifier' ? { kind: 'identifier', name: textOf(ctx, p) } : { kind: 'pattern' };
}

function isBareRethrow(ctx: UnitContext, body: SNode, name: string | undefined): boolean {
  const st = statements(ctx, body);
  if (st.length !== 1 || !st[0]) return false;
  const t = textOf(ctx, st[0]).replace(/;$/, '').trim();
  return t === 'raise' || (name !== undefined && (t === `throw ${name}` || t === `raise ${name}`));
}

function errorHandling(ctx: UnitContext): UnitFinding[] {
  const out: UnitFinding[] = [];
  const { spec } = ctx;
  eachNode(ctx, (n) => {
    if (spec.catches.has(n.type)) {
      out.push(...catchClause(ctx, n));
      return true;
    }
    if (ctx.spec.calls.has(n.type) && n.type === 'call_expression' && ['javascript', 'typescript', 'tsx'].includes(ctx.language)) {
      const fn = field(n, 'function');
      const prop = fn?.type === 'member_expression' ? field(fn, 'property') : undefined;
      if (prop && textOf(ctx, prop) === 'catch') {
        for (const a of argumentsOf(n)) {
          if (a.type !== 'arrow_function' && a.type !== 'function_expression') continue;
          const body = field(a, 'body');
          if (body?.type === 'statement_block' && body.children.every((c) => !c.named)) {
            out.push(finding(ctx, 'ERROR_SWALLOWING', a, 0.9, 'empty promise .catch() handler'));
          }
        }
      }
    }
    if (ctx.language === 'go') out.push(...goErrors(ctx, n));
    if (ctx.language === 'rust') out.push(...rustErrors(ctx, n));
    return true;
  });
  return out;
}

function catchClause(ctx: UnitContext, c: SNode): UnitFinding[] {
  if (ctx.language === 'python') {
    const body = c.children.find((x) => x.type === 'block');
    if (!body) return [];
    const st = statements(ctx, body);
    if (st.length > 0 && st.every((s) => s.type === 'pass_statement')) return [finding(ctx, 'ERROR_SWALLOWING', c, 1, 'except block only passes')];
    const binding = catchBinding(ctx, c);
    if (isBareRethrow(ctx, body, binding.name)) return [];
    if (st.every((s) => s.type === 'continue_statement' || textOf(ctx, s) === '...')) return [];
    const used = binding.name !== undefined && usesName(ctx, body, binding.name);
    const raises = st.some((s) => s.type === 'raise_statement');
    if (used || raises) return [finding(ctx, 'ROBUST_ERROR_HANDLING', c, 0.8, used ? `handles the caught ${binding.name}` : 'translates the error by raising')];
    return [];
  }
  const body = field(c, 'body') ?? c.children.find((x) => x.type === 'block');
  if (!body) return [];
  const binding = catchBinding(ctx, c);
  const empty = body.children.every((x) => !x.named);
  if (empty && !hasCommentInside(ctx, body, false)) return [finding(ctx, 'ERROR_SWALLOWING', c, 1, 'empty catch block')];
  if (binding.kind === 'identifier' && binding.name !== undefined && !usesName(ctx, body, binding.name)) {
    const documentedEmpty = statements(ctx, body).length === 0 && hasCommentInside(ctx, body, true);
    const tryNode = c.parent;
    const tryBody = tryNode ? field(tryNode, 'body') : undefined;
    let trySimple = false;
    if (tryBody) {
      const st = statements(ctx, tryBody);
      let first = st[0];
      while (first?.type === 'labeled_statement') first = field(first, 'body') ?? first.children.find((x) => x.named && x.type !== 'statement_identifier');
      trySimple = st.length === 1 && !!first && !NON_SIMPLE.has(first.type);
    }
    if (!documentedEmpty && !trySimple) return [finding(ctx, 'ERROR_SWALLOWING', c, 0.7, `caught ${binding.name} is never used`)];
    return [];
  }
  if (empty) return [];
  if (isBareRethrow(ctx, body, binding.name)) return [];
  if (binding.name !== undefined && usesName(ctx, body, binding.name)) {
    // Throwing a new error without the caught one as its cause loses the original.
    const throwsNew = /\bthrow\s+new\b/.test(textOf(ctx, body));
    const keepsCause = /\bcause\b/.test(textOf(ctx, body)) || !throwsNew || ctx.language === 'java';
    if (keepsCause) return [finding(ctx, 'ROBUST_ERROR_HANDLING', c, 0.8, `handles the caught ${binding.name}`)];
  }
  return [];
}

function goErrors(ctx: UnitContext, n: SNode): UnitFinding[] {
  if (n.type === 'if_statement') {
    const cond = field(n, 'condition');
    const cons = field(n, 'consequence');
    if (cond && cons && /^\w*err\w*\s*!=\s*nil$/i.test(textOf(ctx, cond).trim())) {
      const name = textOf(ctx, cond).split(/\s*!=/)[0]?.trim() ?? 'err';
      const st = statements(ctx, cons);
      const inner = cons.children.find((x) => x.type === 'statement_list');
      const stmts = inner ? statements(ctx, inner) : st;
      if (stmts.length === 0 && !hasCommentInside(ctx, cons, false)) return [finding(ctx, 'ERROR_SWALLOWING', n, 1, `empty if ${name} != nil {}`)];
      if (stmts.length > 0 && usesName(ctx, cons, name)) return [finding(ctx, 'ROBUST_ERROR_HANDLING', n, 0.8, `handles ${name}`)];
    }
    return [];
  }
  if (n.type === 'assignment_statement' || n.type === 'short_var_declaration') {
    const left = field(n, 'left');
    const right = field(n, 'right');
    if (!left || !right) return [];
    const lhs = left.children.filter((c) => c.named);
    const rhs = right.children.filter((c) => c.named);
    const last = lhs[lhs.length - 1];
    if (last && textOf(ctx, last) === '_' && rhs.length === 1 && rhs[0]?.type === 'call_expression') {
      return [finding(ctx, 'ERROR_SWALLOWING', n, 0.8, 'error result assigned to _')];
    }
  }
  return [];
}

function rustErrors(ctx: UnitContext, n: SNode): UnitFinding[] {
  if (n.type === 'let_declaration') {
    const pattern = field(n, 'pattern');
    const value = field(n, 'value');
    if (pattern && textOf(ctx, pattern) === '_' && value && (value.type === 'call_expression' || value.type === 'await_expression')) {
      return [finding(ctx, 'ERROR_SWALLOWING', n, 0.8, 'Result dropped with let _ =')];
    }
    return [];
  }
  if (n.type === 'expression_statement') {
    const call = n.children.find((c) => c.named);
    if (call?.type === 'call_expression') {
      const fn = field(call, 'function');
      const fieldName = fn?.type === 'field_expression' ? field(fn, 'field') : undefined;
      const args = field(call, 'arguments');
      if (fieldName && textOf(ctx, fieldName) === 'ok' && args && args.children.every((c) => !c.named)) {
        return [finding(ctx, 'ERROR_SWALLOWING', n, 0.8, 'Result discarded with .ok();')];
      }
    }
    return [];
  }
  if (n.type === 'match_arm') {
    const pat = field(n, 'pattern');
    const value = field(n, 'value');
    const m = pat ? /^Err\(\s*([a-z_]\w*)\s*\)$/.exec(textOf(ctx, pat).trim()) : null;
    if (m?.[1] && m[1] !== '_' && value && usesName(ctx, value, m[1])) return [finding(ctx, 'ROBUST_ERROR_HANDLING', n, 0.8, `handles Err(${m[1]})`)];
    return [];
  }
  if (n.type === 'call_expression') {
    const fn = field(n, 'function');
    const fieldName = fn?.type === 'field_expression' ? field(fn, 'field') : undefined;
    if (fieldName && /^(map_err|with_context|context)$/.test(textOf(ctx, fieldName))) {
      return [finding(ctx, 'ROBUST_ERROR_HANDLING', n, 0.7, `adds context with .${textOf(ctx, fieldName)}()`)];
    }
  }
  return [];
}

// ---------------------------------------------------------------- HARMONIC_DESIGN / SELF_DOCUMENTING

const GENERIC_NAMES = new Set(['handler', 'callback', 'func', 'data', 'temp', 'tmp', 'foo', 'bar', 'test', 'main', 'run', 'exec', 'process', 'doit', 'helper', 'util', 'wrapper', 'inner', 'fn', 'cb']);
const SHORT_OK = new Set(['_', '$', 'i', 'j', 'k', 'x', 'y', 'e', 'id', 'ok', 'db', 'io', 'fs', 'os']);

function magicNumbers(ctx: UnitContext, fn: SNode): number {
  let count = 0;
  walk(fn, (x) => {
    if (x !== fn && ctx.spec.functions.has(x.type)) return false;
    if (x.named && ctx.spec.numbers.has(x.type)) {
      const v = Number(textOf(ctx, x).replace(/_/g, ''));
      const p = x.parent;
      const inIndex = p?.type === 'subscript_expression' || p?.type === 'index_expression';
      const inConst = /const|final|static/.test(p?.parent ? textOf(ctx, p.parent).slice(0, 16) : '');
      if (![-1, 0, 1, 2].includes(v) && !inIndex && !inConst) count++;
    }
    return true;
  });
  return count;
}

function shortNames(ctx: UnitContext, fn: SNode): number {
  let count = 0;
  walk(fn, (x) => {
    if (x !== fn && ctx.spec.functions.has(x.type)) return false;
    if (x.type === 'identifier' && x.parent && (x.field === 'name' || x.parent.type === 'variable_declarator' || ctx.spec.paramLists.has(x.parent.type))) {
      const t = textOf(ctx, x);
      if (t.length < 2 && !SHORT_OK.has(t)) count++;
    }
    return true;
  });
  return count;
}

function designPositives(ctx: UnitContext, anti: UnitFinding[]): UnitFinding[] {
  const out: UnitFinding[] = [];
  for (const f of ctx.fns) {
    const loc = f.endLine - f.startLine + 1;
    const antiInside = anti.some((a) => a.startLine >= f.startLine && a.startLine <= f.endLine && a.pattern !== 'ROBUST_ERROR_HANDLING');
    if (loc >= 3 && loc <= 30 && f.cognitive <= 5 && f.depth <= 2 && f.params <= 3 && !antiInside) {
      out.push({ pattern: 'HARMONIC_DESIGN', startLine: f.startLine, endLine: f.endLine, strength: round(clamp(1 - f.cognitive / 10)), message: `${f.name ?? 'function'}: ${loc} lines, cognitive ${f.cognitive}, depth ${f.depth}, ${f.params} params` });
    }
    const name = f.name ?? '';
    if (loc >= 3 && name.length >= 4 && !GENERIC_NAMES.has(name.toLowerCase()) && f.cognitive <= 10) {
      const magic = magicNumbers(ctx, f.node);
      const short = shortNames(ctx, f.node);
      if (magic === 0 && short === 0) out.push({ pattern: 'SELF_DOCUMENTING', startLine: f.startLine, endLine: f.endLine, strength: 0.8, message: `${name}: descriptive name, no magic numbers or one-letter names` });
    }
  }
  return out;
}

// ---------------------------------------------------------------- IDEMPOTENT_OPERATIONS

const IDEMPOTENT_CALL = /^(upsert\w*|\w*Upsert|findOrCreate|getOrCreate|get_or_create|update_or_create|putIfAbsent|setIfAbsent|computeIfAbsent|setdefault|createIfNotExists|create_if_not_exists|ensure[A-Z_]\w*|ensure_\w+|MkdirAll|create_dir_all|createDirectories|or_insert\w*|INSERT_OR_IGNORE)$/;
const IDEMPOTENT_SQL = /\b(ON\s+CONFLICT|IF\s+NOT\s+EXISTS|IF\s+EXISTS|INSERT\s+OR\s+(IGNORE|REPLACE)|ON\s+DUPLICATE\s+KEY\s+UPDATE|MERGE\s+INTO)\b/i;
const SKIP_GUARD = /\b(has|exists|existsSync|contains|containsKey|includes|is_file|is_dir|isFile|exist)\b|\bin\s+\w+/;

function idempotent(ctx: UnitContext): UnitFinding[] {
  const out: UnitFinding[] = [];
  eachNode(ctx, (n) => {
    if (ctx.spec.calls.has(n.type)) {
      const c = callee(ctx, n);
      if (c && IDEMPOTENT_CALL.test(c.name)) out.push(finding(ctx, 'IDEMPOTENT_OPERATIONS', n, 0.9, `idempotent call ${c.name}()`));
    } else if (n.named && ctx.spec.strings.has(n.type)) {
      const m = IDEMPOTENT_SQL.exec(textOf(ctx, n));
      if (m) out.push(finding(ctx, 'IDEMPOTENT_OPERATIONS', n, 1, `SQL ${m[1]?.replace(/\s+/g, ' ').toUpperCase() ?? ''}`));
      return false;
    } else if (n.type === 'pair') {
      if (/^recursive\s*:\s*true$/.test(textOf(ctx, n))) out.push(finding(ctx, 'IDEMPOTENT_OPERATIONS', n, 0.8, 'recursive: true (mkdir/rm that tolerates an existing state)'));
    } else if (n.type === 'keyword_argument') {
      if (/^(exist_ok|missing_ok)\s*=\s*True$/.test(textOf(ctx, n))) out.push(finding(ctx, 'IDEMPOTENT_OPERATIONS', n, 0.8, `${textOf(ctx, n)}`));
    } else if (ctx.spec.identifiers.has(n.type) || n.type === 'property_identifier' || n.type === 'field_identifier') {
      if (/idempot/i.test(textOf(ctx, n))) out.push(finding(ctx, 'IDEMPOTENT_OPERATIONS', n, 0.9, `idempotency key ${textOf(ctx, n)}`));
    } else if (ctx.spec.ifs.has(n.type)) {
      const cond = field(n, 'condition');
      const cons = field(n, 'consequence');
      if (cond && cons && !field(n, 'alternative') && SKIP_GUARD.test(textOf(ctx, cond))) {
        const st = cons.type === 'block' || cons.type === 'statement_block' ? statements(ctx, cons) : [cons];
        const only = st.length === 1 ? st[0] : undefined;
        const inner = only?.type === 'statement_list' ? statements(ctx, only) : st;
        if (inner.length === 1 && inner[0] && /^(return|continue)\b/.test(textOf(ctx, inner[0]))) {
          out.push(finding(ctx, 'IDEMPOTENT_OPERATIONS', n, 0.7, 'check-then-skip guard'));
        }
      }
    }
    return true;
  });
  return out;
}

// ---------------------------------------------------------------- PREMATURE_OPTIMIZATION

const BITWISE = new Set(['|', '&', '^', '<<', '>>', '>>>', '~']);
const MEMO_NAME = /^_?(cache|memo)\w*$|(Cache|Memo|_cache|_memo)$/i;
const EMPTY_MAP = /^(\{\s*\}|new\s+(Map|WeakMap|HashMap<[^>]*>|HashMap)\s*(<[^>]*>)?\s*\(\s*\)|dict\(\)|HashMap::new\(\)|make\(map\[[^\]]*\][\w.*[\]]+\))$/;

function premature(ctx: UnitContext): UnitFinding[] {
  const out: UnitFinding[] = [];
  const js = ctx.language === 'javascript' || ctx.language === 'typescript' || ctx.language === 'tsx';
  const bitOps = (scope: SNode): number => {
    let c = 0;
    walk(scope, (x) => {
      if (!x.named && BITWISE.has(x.type) && (x.parent?.type === 'binary_expression' || x.parent?.type === 'unary_expression')) c++;
      return true;
    });
    return c;
  };
  eachNode(ctx, (n) => {
    if (js && n.type === 'binary_expression') {
      const op = field(n, 'operator');
      const right = field(n, 'right');
      if (op && right && (op.type === '|' || op.type === '>>>' || op.type === '>>') && textOf(ctx, right) === '0') {
        const scope = enclosingFunction(ctx, n) ?? ctx.root;
        if (bitOps(scope) <= 3) out.push(finding(ctx, 'PREMATURE_OPTIMIZATION', n, 0.7, `integer coercion trick ${textOf(ctx, n)}`));
      }
    }
    if (js && n.type === 'unary_expression' && textOf(ctx, n).startsWith('~~')) {
      const scope = enclosingFunction(ctx, n) ?? ctx.root;
      if (bitOps(scope) <= 4) out.push(finding(ctx, 'PREMATURE_OPTIMIZATION', n, 0.7, `integer coercion trick ${textOf(ctx, n)}`));
      return false;
    }
    if (n.type === 'for_statement') {
      const init = field(n, 'initializer') ?? n.children.find((c) => c.type === 'for_clause' || c.type === 'local_variable_declaration');
      const initText = init ? textOf(ctx, init) : '';
      if (/,\s*\w+\s*(:?=)\s*[\w.$]+\.(length|size\(\))/.test(initText) || /^(for\s*\(\s*)?(let|var|int)?\s*\w+\s*=\s*0\s*,\s*\w+\s*=\s*[\w.$]+\.(length|size\(\))/.test(initText) || /\w+\s*,\s*\w+\s*:=\s*0\s*,\s*len\(/.test(initText)) {
        out.push(finding(ctx, 'PREMATURE_OPTIMIZATION', n, 0.6, 'loop bound cached by hand'));
      }
    }
    if (n.type === 'statement_block' || n.type === 'block' || n.type === 'statement_list') out.push(...unrolled(ctx, n));
    if (n.type === 'variable_declarator' || n.type === 'assignment' || n.type === 'short_var_declaration' || n.type === 'let_declaration' || n.type === 'var_spec') {
      const name = field(n, 'name') ?? field(n, 'left') ?? field(n, 'pattern');
      const value = field(n, 'value') ?? field(n, 'right');
      if (name && value && MEMO_NAME.test(textOf(ctx, name).trim()) && EMPTY_MAP.test(textOf(ctx, value).trim()) && !enclosingFunction(ctx, n)) {
        out.push(finding(ctx, 'PREMATURE_OPTIMIZATION', n, 0.5, `home-made memo cache ${textOf(ctx, name).trim()}`));
      }
    }
    return true;
  });
  return out;
}

function unrolled(ctx: UnitContext, block: SNode): UnitFinding[] {
  const st = statements(ctx, block);
  const out: UnitFinding[] = [];
  let runStart = 0;
  // `a[i]` is the first of `a[i + 1]`, `a[i + 2]`…: it gets the same shape.
  const shape = (s: SNode): string => textOf(ctx, s).replace(/\s+/g, '').replace(/\[(\w+)\]/g, '[$1+0]').replace(/\b\d+\b/g, '#');
  for (let i = 1; i <= st.length; i++) {
    const prev = st[i - 1];
    const cur = st[i];
    const same = prev && cur && /\d/.test(textOf(ctx, cur)) && /[[(]/.test(textOf(ctx, cur)) && shape(prev) === shape(cur) && textOf(ctx, prev) !== textOf(ctx, cur);
    if (same) continue;
    const len = i - runStart;
    const first = st[runStart];
    const last = st[i - 1];
    if (len >= 4 && first && last) {
      out.push({ pattern: 'PREMATURE_OPTIMIZATION', startLine: ctx.lines.lineOf(first.start), endLine: ctx.lines.endLineOf(last.start, last.end), strength: 0.6, message: `loop unrolled by hand (${len} copies of one statement)` });
    }
    runStart = i;
  }
  return out;
}

// ---------------------------------------------------------------- INSUFFICIENT_VALIDATION

interface Sink {
  kind: string;
  re: RegExp;
}
const SINKS: Sink[] = [
  { kind: 'SQL text', re: /(^|\.)(query|execute|executemany|exec_driver_sql|raw|executeQuery|executeUpdate|prepareStatement|Query|QueryRow|Exec|QueryContext|ExecContext)$/ },
  { kind: 'a file path', re: /(^|\.)(readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|unlink|unlinkSync|rm|rmSync|rmdir|opendir|readdir|readdirSync|sendFile|open|remove|rmtree|ReadFile|WriteFile|Open|OpenFile|Create|Remove|RemoveAll|File::open|File::create|read_to_string|remove_file|remove_dir_all|File|FileInputStream|FileOutputStream|Paths\.get|Path\.of)$/ },
  { kind: 'process execution', re: /(^|\.)(exec|execSync|spawn|spawnSync|execFile|execFileSync|system|popen|Popen|check_output|check_call|getRuntime\(\)\.exec|ProcessBuilder|Command|Command::new|eval|Function)$/ },
  { kind: 'JSON.parse', re: /^(JSON\.parse|json\.loads|serde_json::from_str|Unmarshal|json\.Unmarshal|readValue)$/ },
  { kind: 'number parsing', re: /^(parseInt|parseFloat|Number|int|float|Integer\.parseInt|Long\.parseLong|Double\.parseDouble)$/ },
];
const HANDLER_PARAMS = new Set(['req', 'request', 'ctx', 'event', 'r']);
const VALIDATOR = /valid|check|assert|sanitiz|escape|schema|safeParse|\.parse\(|isNaN|Number\.is|typeof|instanceof|normalize|resolve|matches|test\(|startsWith|includes|has\(|in\s|is_|isinstance|len\(|\.length|Clean|Rel\b/i;

function insideTry(ctx: UnitContext, n: SNode, stop: SNode): boolean {
  for (let p = n.parent; p && p !== stop; p = p.parent) if (ctx.spec.tries.has(p.type) && n.start >= (field(p, 'body')?.start ?? p.start) && n.end <= (field(p, 'body')?.end ?? p.end)) return true;
  return false;
}

/** A function's text up to the first `stop` character (its signature), at most 400 characters. */
function head(ctx: UnitContext, n: SNode, stop: string): string {
  const s = ctx.text.slice(n.start, Math.min(n.end, n.start + 400));
  const i = s.indexOf(stop);
  return i < 0 ? s : s.slice(0, i);
}

function isExportedFunction(ctx: UnitContext, f: FnInfo): boolean {
  const name = f.name ?? '';
  switch (ctx.language) {
    case 'go':
      return /^[A-Z]/.test(name);
    case 'java':
      return /\bpublic\b/.test(head(ctx, f.node, '{'));
    case 'rust':
      return /^\s*pub\b/.test(head(ctx, f.node, '('));
    case 'python':
      return !name.startsWith('_') && !enclosingFunction(ctx, f.node);
    default:
      return ctx.exported && !enclosingFunction(ctx, f.node);
  }
}

function validation(ctx: UnitContext): UnitFinding[] {
  const out: UnitFinding[] = [];
  for (const f of ctx.fns) {
    const params = parameterNames(ctx, f.node);
    const handler = params.some((p) => HANDLER_PARAMS.has(p)) || /\bhttp\.Request\b|HttpServletRequest|@RequestParam|@PathVariable/.test(head(ctx, f.node, '{'));
    if (!(handler || isExportedFunction(ctx, f)) || params.length === 0) continue;
    const raw = new Set(params);
    // Names that were checked anywhere in the function are taken as validated.
    const checked = new Set<string>();
    walk(f.node, (x) => {
      if (x !== f.node && ctx.spec.functions.has(x.type)) return false;
      if (ctx.spec.ifs.has(x.type) || ctx.spec.ternaries.has(x.type) || ctx.spec.switches.has(x.type) || x.type === 'assert_statement' || x.type === 'guard') {
        const head = field(x, 'condition') ?? field(x, 'value') ?? (x.type === 'assert_statement' ? x : undefined);
        if (head) for (const p of raw) if (usesName(ctx, head, p)) checked.add(p);
      } else if (ctx.spec.calls.has(x.type)) {
        const c = callee(ctx, x);
        if (c && VALIDATOR.test(c.full)) for (const a of argumentsOf(x)) for (const p of raw) if (usesName(ctx, a, p)) checked.add(p);
      }
      return true;
    });
    walk(f.node, (x) => {
      if (x !== f.node && ctx.spec.functions.has(x.type)) return false;
      if (!ctx.spec.calls.has(x.type)) return true;
      const c = callee(ctx, x);
      if (!c) return true;
      const sink = SINKS.find((s) => s.re.test(c.full) || s.re.test(c.name));
      if (!sink) return true;
      const args = argumentsOf(x);
      const first = args[0];
      if (!first) return true;
      // A parse inside a try block has its failure handled: that is the check.
      if ((sink.kind === 'JSON.parse' || sink.kind === 'number parsing') && insideTry(ctx, x, f.node)) return true;
      if (sink.kind === 'SQL text' && !(first.type === 'template_string' || first.type === 'binary_expression' || first.type === 'string' && /\{/.test(textOf(ctx, first)) || /Sprintf|format|\+/.test(textOf(ctx, first)))) return true;
      const candidates = new Set([...raw].filter((p) => !checked.has(p)));
      if (candidates.size === 0) return true;
      const hit = containsIdentifier(ctx, first, candidates);
      const fromRequest = handler && /\b(req|request|ctx)\.(body|query|params|args|form|GET|POST)\b/.test(textOf(ctx, first));
      if (hit || fromRequest) {
        out.push(finding(ctx, 'INSUFFICIENT_VALIDATION', x, 0.8, `${f.name ?? 'function'}: raw input ${hit ?? 'from the request'} reaches ${sink.kind} (${c.name}) unchecked`));
      }
      return true;
    });
  }
  return out;
}

// ---------------------------------------------------------------- imports

function importsOf(ctx: UnitContext): ImportRef[] {
  const out: ImportRef[] = [];
  const str = (n: SNode | undefined): string | undefined => (n ? textOf(ctx, n).replace(/^[`'"]|[`'"]$/g, '') : undefined);
  eachNode(ctx, (n) => {
    switch (n.type) {
      case 'import_statement': {
        const source = field(n, 'source');
        if (ctx.language === 'python') {
          for (const c of n.children) if (c.field === 'name') out.push({ specifier: textOf(ctx, field(c, 'name') ?? c).split(/\s+as\s+/)[0] ?? '', typeOnly: false });
          return false;
        }
        const spec = str(source);
        if (spec !== undefined) out.push({ specifier: spec, typeOnly: /^import\s+type\b/.test(textOf(ctx, n)) });
        return false;
      }
      case 'export_statement': {
        const spec = str(field(n, 'source'));
        if (spec !== undefined) out.push({ specifier: spec, typeOnly: /^export\s+type\b/.test(textOf(ctx, n)) });
        return true;
      }
      case 'import_from_statement': {
        const m = field(n, 'module_name');
        if (m) out.push({ specifier: textOf(ctx, m), typeOnly: false });
        return false;
      }
      case 'import_spec': {
        const p = str(field(n, 'path'));
        if (p !== undefined) out.push({ specifier: p, typeOnly: false });
        return false;
      }
      case 'import_declaration': {
        if (ctx.language !== 'java') return true;
        const t = textOf(ctx, n).replace(/^import\s+(static\s+)?/, '').replace(/;$/, '').trim();
        out.push({ specifier: t, typeOnly: false });
        return false;
      }
      case 'use_declaration': {
        const arg = field(n, 'argument');
        if (arg) out.push({ specifier: textOf(ctx, arg).split('::{')[0] ?? '', typeOnly: false });
        return false;
      }
      case 'call_expression': {
        if (ctx.language !== 'javascript' && ctx.language !== 'typescript' && ctx.language !== 'tsx') return true;
        const fn = field(n, 'function');
        const args = argumentsOf(n);
        const first = args[0];
        if (fn && (textOf(ctx, fn) === 'require' || fn.type === 'import') && args.length === 1 && first?.type === 'string') {
          const spec = str(first);
          if (spec !== undefined) out.push({ specifier: spec, typeOnly: false });
        }
        return true;
      }
      default:
        return true;
    }
  });
  return out;
}

// ---------------------------------------------------------------- the unit

interface Detector {
  name: string;
  run: (ctx: UnitContext, earlier: UnitFinding[]) => UnitFinding[];
}

/** Detectors in order; later ones may look at earlier findings (the positives check for anti-patterns). */
export const DETECTORS: Detector[] = [
  { name: 'logic-spiral', run: logicSpiral },
  { name: 'error-handling', run: errorHandling },
  { name: 'premature-optimization', run: premature },
  { name: 'idempotent-operations', run: idempotent },
  { name: 'insufficient-validation', run: validation },
  { name: 'design-positives', run: designPositives },
];

function identity(ctx: UnitContext, fn: SNode): Identity | undefined {
  const t = fn.type;
  const p = fn.parent;
  const js = ctx.language === 'javascript' || ctx.language === 'typescript' || ctx.language === 'tsx';
  if (js) {
    const eligible = t === 'function_declaration' || t === 'generator_function_declaration' || t === 'method_definition' || ((t === 'function_expression' || t === 'arrow_function') && p?.type === 'variable_declarator');
    if (!eligible) return undefined;
  } else if (t === 'lambda' || t === 'lambda_expression' || t === 'closure_expression' || t === 'func_literal') return undefined;
  const body = field(fn, 'body');
  if (!body) return undefined;
  // The inner text, braces off, must span three lines; the signature is its length without
  // whitespace, which equal token sequences share.
  let a = body.start;
  let b = body.end;
  const text = ctx.text;
  const ws = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
  while (a < b && ws(text.charCodeAt(a))) a++;
  if (text[a] === '{') a++;
  while (b > a && ws(text.charCodeAt(b - 1))) b--;
  if (text[b - 1] === '}') b--;
  while (a < b && ws(text.charCodeAt(a))) a++;
  while (b > a && ws(text.charCodeAt(b - 1))) b--;
  if (a >= b) return undefined;
  if (ctx.lines.lineOf(b - 1) - ctx.lines.lineOf(a) + 1 < IDENTICAL_MIN_LINES) return undefined;
  let solid = 0;
  for (let i = a; i < b; i++) if (!ws(text.charCodeAt(i))) solid++;
  return { sig: `${solid}`, body: textOf(ctx, body), language: ctx.language };
}

/**
 * Runs every detector over one unit. A detector that throws is recorded in `failures` and the
 * others still run.
 */
export function analyzeUnit(language: LanguageId, base: UnitText, root: SNode, exported: boolean): UnitAnalysis {
  const lines = new LineIndex(base.text);
  const ctx: UnitContext = { ...base, language, root, lines, exported, fns: [], all: [] };
  const failures: string[] = [];
  const functions: FunctionSummary[] = [];
  try {
    walk(root, (n) => {
      ctx.all.push(n);
      if (!ctx.spec.functions.has(n.type)) return true;
      const { max, deep } = nestingDepth(ctx, n, DEPTH_LIMIT);
      const s = span(ctx, n);
      const info: FnInfo = { node: n, name: functionName(ctx, n), cognitive: cognitiveComplexity(ctx, n), depth: max, deep: deep.map((d) => d.node), params: parameterCount(ctx, n), ...s };
      ctx.fns.push(info);
      functions.push({ name: info.name, ...s, cognitive: info.cognitive, depth: info.depth, identity: identity(ctx, n) });
      return true;
    });
  } catch (err) {
    failures.push(`function metrics: ${err instanceof Error ? err.message : String(err)}`);
  }
  const findings: UnitFinding[] = [];
  for (const d of DETECTORS) {
    try {
      findings.push(...d.run(ctx, findings));
    } catch (err) {
      failures.push(`${d.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  let imports: ImportRef[] = [];
  try {
    imports = importsOf(ctx);
  } catch (err) {
    failures.push(`imports: ${err instanceof Error ? err.message : String(err)}`);
  }
  let classes = 0;
  for (const n of ctx.all) if (ctx.spec.classes.has(n.type)) classes++;
  return { findings, functions, imports, classes, failures };
}
