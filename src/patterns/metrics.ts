import type { LangSpec } from './spec';
import { DEPTH_ROLES, ROLE } from './spec';
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

/** Named children that are not comments. */
export function statements(_u: UnitText, n: SNode): SNode[] {
  return n.children.filter((c) => c.named && (c.roles & ROLE.comment) === 0);
}

/** Skips parentheses upwards. */
export function parentSkippingParens(_u: UnitText, n: SNode): SNode | undefined {
  let p = n.parent;
  while (p && p.roles & ROLE.paren) p = p.parent;
  return p;
}

/** Skips parentheses downwards. */
export function unwrapParens(u: UnitText, n: SNode): SNode {
  let x = n;
  while (x.roles & ROLE.paren) {
    const inner = statements(u, x)[0];
    if (!inner) break;
    x = inner;
  }
  return x;
}

/** The logical operator of a node (`&&`, `||`, `??`, `and`, `or`), if it is a logical expression. */
export function logicalOp(_u: UnitText, n: SNode): string | undefined {
  if (!(n.roles & ROLE.logical)) return undefined;
  const op = field(n, 'operator');
  return op && op.roles & (ROLE.andOp | ROLE.orOp) ? op.type : undefined;
}

/** Whether `n` is the `else if` of an enclosing if (a node of one of the `ifs` types). */
export function isElseIf(u: UnitText, n: SNode): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.roles & ROLE.elseWrapper) return !!p.parent && (p.parent.roles & ROLE.if) !== 0 && statements(u, p).length === 1;
  return n.field === 'alternative' && (p.roles & ROLE.if) !== 0;
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
    if (c.roles & ROLE.elif) {
      total += 1;
      for (const cc of c.children) visit(cc, cc.field === 'consequence' ? nest + 1 : nest);
      return;
    }
    if (c.roles & ROLE.elseWrapper) {
      const inner = statements(u, c);
      const only = inner.length === 1 ? inner[0] : undefined;
      if (only && only.roles & ROLE.if) visitIf(only, nest, true);
      else {
        total += 1;
        visitChildren(c, nest + 1);
      }
      return;
    }
    if (c.roles & ROLE.if) {
      visitIf(c, nest, true);
      return;
    }
    total += 1;
    visit(c, nest + 1);
  };
  const visit = (n: SNode, nest: number): void => {
    const r = n.roles;
    if (r === 0) return visitChildren(n, nest);
    if (n !== fn && r & ROLE.function) return;
    if (r & ROLE.if) return visitIf(n, nest, false);
    if (r & ROLE.loop) {
      total += 1 + nest;
      for (const c of n.children) visit(c, c.field === 'body' || c.field === 'alternative' || c.roles & ROLE.elseWrapper ? nest + 1 : nest);
      return;
    }
    if (r & ROLE.switch) {
      total += 1 + nest;
      return visitChildren(n, nest);
    }
    if (r & ROLE.case) return visitChildren(n, nest + 1);
    if (r & ROLE.catch) {
      total += 1 + nest;
      return visitChildren(n, nest + 1);
    }
    if (r & ROLE.ternary) {
      total += 1 + nest;
      const cond = u.python ? named(n)[1] : field(n, 'condition');
      for (const c of n.children) visit(c, c === cond ? nest : nest + 1);
      return;
    }
    if (r & ROLE.logical && logicalOp(u, n)) {
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
    if (r & ROLE.jump && n.children.some((c) => c.roles & ROLE.label)) total += 1;
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
  let max = 0;
  const deep: DeepStatement[] = [];
  // Two parallel stacks: no tuple per node (this runs on every function of every edit).
  const nodes: SNode[] = [scope];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const n = nodes.pop();
    const d = depths.pop() ?? 0;
    if (!n) break;
    const r = n.roles;
    if (n !== scope && r & ROLE.function) continue;
    let nd = d;
    if (r & DEPTH_ROLES && !(r & ROLE.if && isElseIf(u, n))) {
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
    if (x.roles & ROLE.comment) return false;
    if (x.children.length === 0 && x.end > x.start) out.push(x);
    return true;
  });
  return out;
}

/** Number of declared parameters. */
export function parameterCount(u: UnitText, fn: SNode): number {
  const list = field(fn, 'parameters') ?? fn.children.find((c) => c.roles & ROLE.paramList);
  if (!list) return field(fn, 'parameter') ? 1 : 0;
  if (!(list.roles & ROLE.paramList)) return 1; // an arrow function's single bare parameter
  // Go groups names that share a type: `func f(a, b int)` has two parameters.
  return statements(u, list).reduce((n, p) => n + (p.type === 'parameter_declaration' ? Math.max(1, p.children.filter((c) => c.type === 'identifier').length) : 1), 0);
}

/** Parameter names (simple identifiers only; destructured ones are left out). */
export function parameterNames(u: UnitText, fn: SNode): string[] {
  const list = field(fn, 'parameters') ?? fn.children.find((c) => c.roles & ROLE.paramList) ?? field(fn, 'parameter');
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
