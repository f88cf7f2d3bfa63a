import type { LangSpec } from './spec';
import type { SNode } from './syntax';
import { field, named, walk } from './syntax';

/** The text and grammar a unit's nodes belong to. */
export interface UnitText {
  spec: LangSpec;
  text: string;
  /** True for Python, whose `conditional_expression` has no field names. */
  python: boolean;
}

export const textOf = (u: UnitText, n: SNode): string => u.text.slice(n.start, n.end);

const isComment = (u: UnitText, n: SNode): boolean => u.spec.comments.has(n.type);

/** Named children that are not comments. */
export function statements(u: UnitText, n: SNode): SNode[] {
  return n.children.filter((c) => c.named && !isComment(u, c));
}

/** Skips parentheses upwards. */
export function parentSkippingParens(u: UnitText, n: SNode): SNode | undefined {
  let p = n.parent;
  while (p && u.spec.parens.has(p.type)) p = p.parent;
  return p;
}

/** Skips parentheses downwards. */
export function unwrapParens(u: UnitText, n: SNode): SNode {
  let x = n;
  while (u.spec.parens.has(x.type)) {
    const inner = statements(u, x)[0];
    if (!inner) break;
    x = inner;
  }
  return x;
}

/** The logical operator of a node (`&&`, `||`, `??`, `and`, `or`), if it is a logical expression. */
export function logicalOp(u: UnitText, n: SNode): string | undefined {
  if (!u.spec.logicalNodes.has(n.type)) return undefined;
  const op = field(n, 'operator');
  if (!op) return undefined;
  const t = op.type;
  return u.spec.andOps.has(t) || u.spec.orOps.has(t) ? t : undefined;
}

/** Whether `n` is the `else if` of an enclosing if (a node of one of the `ifs` types). */
export function isElseIf(u: UnitText, n: SNode): boolean {
  const p = n.parent;
  if (!p) return false;
  if (u.spec.elseWrappers.has(p.type)) return !!p.parent && u.spec.ifs.has(p.parent.type) && statements(u, p).length === 1;
  return n.field === 'alternative' && u.spec.ifs.has(p.type);
}

function logicalOperators(u: UnitText, n: SNode, out: string[]): void {
  const op = logicalOp(u, n);
  if (!op) return;
  const left = field(n, 'left');
  const right = field(n, 'right');
  if (left) logicalOperators(u, unwrapParens(u, left), out);
  out.push(op);
  if (right) logicalOperators(u, unwrapParens(u, right), out);
}

/**
 * Cognitive complexity of one function, counted as eslint-plugin-sonarjs (S3776) counts a
 * function's own complexity: +1 plus nesting for if, loops, switch, catch and the conditional
 * operator; +1 for else, else-if and labelled jumps; +1 for each run of `&&` (sonarjs leaves
 * `||` and `??` uncounted); nesting restarts inside nested functions, which count on their own.
 */
export function cognitiveComplexity(u: UnitText, fn: SNode): number {
  const { spec } = u;
  let total = 0;
  const visitChildren = (n: SNode, nest: number): void => {
    for (const c of n.children) visit(c, nest);
  };
  const visitIf = (n: SNode, nest: number, elseIf: boolean): void => {
    total += elseIf ? 1 : 1 + nest;
    for (const c of n.children) {
      if (c.field === 'consequence') visit(c, nest + 1);
      else if (c.field === 'alternative') visitAlternative(c, nest);
      else visit(c, nest);
    }
  };
  const visitAlternative = (c: SNode, nest: number): void => {
    if (spec.elifs.has(c.type)) {
      total += 1;
      for (const cc of c.children) visit(cc, cc.field === 'consequence' ? nest + 1 : nest);
      return;
    }
    if (spec.elseWrappers.has(c.type)) {
      const inner = statements(u, c);
      const only = inner.length === 1 ? inner[0] : undefined;
      if (only && spec.ifs.has(only.type)) visitIf(only, nest, true);
      else {
        total += 1;
        visitChildren(c, nest + 1);
      }
      return;
    }
    if (spec.ifs.has(c.type)) {
      visitIf(c, nest, true);
      return;
    }
    total += 1;
    visit(c, nest + 1);
  };
  const visit = (n: SNode, nest: number): void => {
    const t = n.type;
    if (n !== fn && spec.functions.has(t)) return;
    if (spec.ifs.has(t)) return visitIf(n, nest, false);
    if (spec.loops.has(t)) {
      total += 1 + nest;
      for (const c of n.children) visit(c, c.field === 'body' || c.field === 'alternative' || spec.elseWrappers.has(c.type) ? nest + 1 : nest);
      return;
    }
    if (spec.switches.has(t)) {
      total += 1 + nest;
      return visitChildren(n, nest);
    }
    if (spec.cases.has(t)) return visitChildren(n, nest + 1);
    if (spec.catches.has(t)) {
      total += 1 + nest;
      return visitChildren(n, nest + 1);
    }
    if (spec.ternaries.has(t)) {
      total += 1 + nest;
      const cond = u.python ? named(n)[1] : field(n, 'condition');
      for (const c of n.children) visit(c, c === cond ? nest : nest + 1);
      return;
    }
    if (spec.logicalNodes.has(t) && logicalOp(u, n)) {
      const p = parentSkippingParens(u, n);
      if (!(p && logicalOp(u, p)) && p?.type !== 'jsx_expression') {
        const ops: string[] = [];
        logicalOperators(u, n, ops);
        for (let i = 0; i < ops.length; i++) {
          const op = ops[i] ?? '';
          if (spec.andOps.has(op) && ops[i - 1] !== op) total += 1;
        }
      }
      return visitChildren(n, nest);
    }
    if (spec.jumps.has(t) && n.children.some((c) => spec.labels.has(c.type))) total += 1;
    visitChildren(n, nest);
  };
  const body = field(fn, 'body') ?? fn;
  if (body === fn) visitChildren(fn, 0);
  else visit(body, 0);
  return total;
}

/** A statement nested deeper than allowed. */
export interface DeepStatement {
  node: SNode;
  depth: number;
}

/**
 * Block nesting as ESLint `max-depth` counts it inside one scope (a function, or the top level
 * when `scope` is a unit root): if (not else-if), loops, switch, try, with; Python's `with` and
 * `match` too (Ruff PLR1702). Nested functions start their own count and are not entered.
 */
export function nestingDepth(u: UnitText, scope: SNode, limit: number): { max: number; deep: DeepStatement[] } {
  const { spec } = u;
  let max = 0;
  const deep: DeepStatement[] = [];
  // Two parallel stacks: no tuple per node (this runs on every function of every edit).
  const nodes: SNode[] = [scope];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const n = nodes.pop();
    const d = depths.pop() ?? 0;
    if (!n) break;
    if (n !== scope && spec.functions.has(n.type)) continue;
    const t = n.type;
    let nd = d;
    if ((spec.ifs.has(t) && !isElseIf(u, n)) || spec.loops.has(t) || spec.switches.has(t) || spec.tries.has(t) || spec.otherDepth.has(t)) {
      nd = d + 1;
      if (nd > max) max = nd;
      if (nd > limit) deep.push({ node: n, depth: nd });
    }
    for (let i = n.children.length - 1; i >= 0; i--) {
      const c = n.children[i];
      if (c) {
        nodes.push(c);
        depths.push(nd);
      }
    }
  }
  return { max, deep };
}

/** Leaves of a subtree, comments left out. */
export function tokens(u: UnitText, n: SNode): SNode[] {
  const out: SNode[] = [];
  walk(n, (x) => {
    if (isComment(u, x)) return false;
    if (x.children.length === 0 && x.end > x.start) out.push(x);
    return true;
  });
  return out;
}

/** Number of declared parameters. */
export function parameterCount(u: UnitText, fn: SNode): number {
  const list = field(fn, 'parameters') ?? fn.children.find((c) => u.spec.paramLists.has(c.type));
  if (!list) return field(fn, 'parameter') ? 1 : 0;
  if (!u.spec.paramLists.has(list.type)) return 1; // an arrow function's single bare parameter
  // Go groups names that share a type: `func f(a, b int)` has two parameters.
  return statements(u, list).reduce((n, p) => n + (p.type === 'parameter_declaration' ? Math.max(1, p.children.filter((c) => c.type === 'identifier').length) : 1), 0);
}

/** Parameter names (simple identifiers only; destructured ones are left out). */
export function parameterNames(u: UnitText, fn: SNode): string[] {
  const list = field(fn, 'parameters') ?? fn.children.find((c) => u.spec.paramLists.has(c.type)) ?? field(fn, 'parameter');
  if (!list) return [];
  if (list.type === 'identifier') return [textOf(u, list)];
  const names: string[] = [];
  for (const p of statements(u, list)) {
    if (p.type === 'identifier') {
      names.push(textOf(u, p));
      continue;
    }
    const target = field(p, 'pattern') ?? field(p, 'name') ?? p.children.find((c) => c.type === 'identifier');
    if (target?.type === 'identifier') names.push(textOf(u, target));
    else if (p.type === 'parameter_declaration') for (const id of p.children.filter((c) => c.type === 'identifier')) names.push(textOf(u, id));
  }
  return names;
}

/** The name a function is known by: its own, or the variable, property or key it is assigned to. */
export function functionName(u: UnitText, fn: SNode): string | undefined {
  const own = field(fn, 'name');
  if (own) return textOf(u, own);
  const p = fn.parent;
  if (!p) return undefined;
  if (p.type === 'variable_declarator') {
    const n = field(p, 'name');
    return n ? textOf(u, n) : undefined;
  }
  if (p.type === 'pair' || p.type === 'public_field_definition' || p.type === 'field_definition') {
    const k = field(p, 'key') ?? field(p, 'property') ?? field(p, 'name');
    return k ? textOf(u, k) : undefined;
  }
  if (p.type === 'assignment_expression') {
    const l = field(p, 'left');
    if (!l) return undefined;
    const prop = field(l, 'property');
    return textOf(u, prop ?? l);
  }
  return undefined;
}
