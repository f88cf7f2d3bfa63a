import path from 'node:path';
import type { ImportRef } from './detectors';
import type { LanguageId } from './types';

/** A module importing more distinct modules than this is tightly coupled (import/max-dependencies default). */
export const FAN_OUT_LIMIT = 10;

/** One file as the import graph sees it. */
export interface GraphFile {
  file: string;
  language: LanguageId;
  imports: readonly ImportRef[];
}

/** What the graph says about one file. */
export interface Coupling {
  /** Distinct runtime modules imported, the standard library left out. */
  fanOut: number;
  /** Other files on the same runtime import cycle (empty when none). */
  cycle: string[];
}

const NODE_BUILTINS = new Set([
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns', 'domain', 'events', 'fs', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'repl', 'stream', 'string_decoder', 'sys', 'timers', 'tls', 'trace_events', 'tty', 'url', 'util', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib', 'test', 'sqlite',
]);

const JS_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function isStdlib(language: LanguageId, spec: string): boolean {
  switch (language) {
    case 'javascript':
    case 'typescript':
    case 'tsx': {
      if (spec.startsWith('node:')) return true;
      const root = spec.split('/')[0] ?? spec;
      return NODE_BUILTINS.has(root);
    }
    case 'go':
      return !(spec.split('/')[0] ?? '').includes('.');
    case 'java':
      return /^(static\s+)?(java|javax)\./.test(spec);
    case 'rust':
      return /^(std|core|alloc)(::|$)/.test(spec);
    case 'python':
      return spec === '__future__';
  }
}

/** A URI's scheme and authority (`file://`, `vscode-remote://host`): kept out of path arithmetic. */
const URI_PREFIX = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/;

/**
 * Resolves a specifier to one of the known files, or returns undefined (external or unknown).
 * Files are named by paths or, as the editor names them, by URIs: relative specifiers are
 * resolved on the path part (normalising `file:///a/b` as a path would give `file:/a/b`).
 */
export function resolveImport(from: string, language: LanguageId, spec: string, known: ReadonlySet<string>): string | undefined {
  const prefix = URI_PREFIX.exec(from)?.[0] ?? '';
  const norm = (p: string): string => prefix + path.posix.normalize(p);
  const dir = path.posix.dirname(from.slice(prefix.length));
  if (language === 'javascript' || language === 'typescript' || language === 'tsx') {
    if (!spec.startsWith('.')) return undefined;
    const base = norm(path.posix.join(dir, spec));
    const candidates = [base];
    const ext = path.posix.extname(base);
    if (ext) {
      const stem = base.slice(0, -ext.length);
      const swaps: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
      for (const e of swaps[ext] ?? []) candidates.push(stem + e);
    }
    for (const e of JS_EXTS) candidates.push(base + e);
    for (const e of JS_EXTS) candidates.push(`${base}/index${e}`);
    return candidates.find((c) => known.has(c));
  }
  if (language === 'python') {
    const m = /^(\.*)(.*)$/.exec(spec);
    const dots = m?.[1]?.length ?? 0;
    const rest = (m?.[2] ?? '').split('.').filter(Boolean).join('/');
    if (dots > 0) {
      let d = dir;
      for (let i = 1; i < dots; i++) d = path.posix.dirname(d);
      const base = rest ? norm(path.posix.join(d, rest)) : prefix + d;
      return [`${base}.py`, `${base}/__init__.py`].find((c) => known.has(c));
    }
    if (!rest) return undefined;
    const tails = [`/${rest}.py`, `/${rest}/__init__.py`];
    const hits = [...known].filter((k) => tails.some((t) => `/${k}`.endsWith(t)));
    return hits.length === 1 ? hits[0] : undefined;
  }
  if (language === 'java') {
    const cls = spec.replace(/^static\s+/, '').replace(/\.\*$/, '').split('.').join('/');
    const hits = [...known].filter((k) => `/${k}`.endsWith(`/${cls}.java`));
    return hits.length === 1 ? hits[0] : undefined;
  }
  return undefined;
}

/** Tarjan's strongly connected components, iteratively; returns node → members of its cycle. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out = new Map<string, string[]>();
  for (const v of graph.keys()) {
    if (idx.has(v)) continue;
    const work: [string, number][] = [[v, 0]];
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (!top) break;
      const [u, i] = top;
      const next = graph.get(u) ?? [];
      if (i < next.length) {
        top[1]++;
        const w = next[i];
        if (w === undefined) continue;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index);
          index++;
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(u, Math.min(low.get(u) ?? 0, idx.get(w) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0]) ?? 0, low.get(u) ?? 0));
      if (low.get(u) === idx.get(u)) {
        const members: string[] = [];
        let w: string | undefined;
        do {
          w = stack.pop();
          if (w === undefined) break;
          onStack.delete(w);
          members.push(w);
        } while (w !== u);
        if (members.length > 1 || (graph.get(u) ?? []).includes(u)) for (const x of members) out.set(x, members);
      }
    }
  }
  return out;
}

/**
 * Builds the runtime import graph of the given files (explicit type-only imports left out) and
 * tells, for each file, its fan-out and the cycle it is on.
 */
export function coupling(files: readonly GraphFile[]): Map<string, Coupling> {
  const known = new Set(files.map((f) => f.file));
  const graph = new Map<string, string[]>();
  const fanOut = new Map<string, number>();
  for (const f of files) {
    const internal = new Set<string>();
    const distinct = new Set<string>();
    for (const imp of f.imports) {
      if (imp.typeOnly || imp.specifier === '') continue;
      const target = resolveImport(f.file, f.language, imp.specifier, known);
      if (target) {
        internal.add(target);
        distinct.add(target);
      } else if (!isStdlib(f.language, imp.specifier)) distinct.add(imp.specifier);
    }
    graph.set(f.file, [...internal]);
    fanOut.set(f.file, distinct.size);
  }
  const comps = cycles(graph);
  const out = new Map<string, Coupling>();
  for (const f of files) out.set(f.file, { fanOut: fanOut.get(f.file) ?? 0, cycle: (comps.get(f.file) ?? []).filter((x) => x !== f.file) });
  return out;
}
