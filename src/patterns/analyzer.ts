import type { Node as TsNode, Tree } from 'web-tree-sitter';
import { PATTERNS } from '../engine/index';
import type { FunctionSummary, ImportRef, UnitAnalysis } from './detectors';
import { analyzeUnit } from './detectors';
import type { ParserHost } from './parser';
import { specFor } from './spec';
import type { LangSpec } from './spec';
import { copyTree } from './syntax';
import type { Token } from './tokens';
import type { Finding, LanguageId, SkipReason } from './types';

/** Files larger than this (in UTF-16 code units, ~bytes) are not parsed. */
export const MAX_FILE_CHARS = 1_000_000;

/** One text edit, as VS Code reports it: replace `rangeLength` characters at `rangeOffset` by `text`. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/** A file after analysis: its own findings plus what the cross-file detectors need. */
export interface FileAnalysis {
  file: string;
  language: LanguageId;
  text: string;
  lines: number;
  hasErrors: boolean;
  skipped: SkipReason | undefined;
  /** Findings of the single-file detectors (cross-file ones come from {@link crossFileFindings}). */
  findings: Finding[];
  functions: FunctionSummary[];
  imports: ImportRef[];
  classes: number;
  failures: string[];
  /** Filled lazily by the clone detector and kept while the text is unchanged. */
  tokens?: Token[];
}

/** Why a text should not be parsed at all, if it should not. */
export function skipReason(text: string): SkipReason | undefined {
  if (text.length > MAX_FILE_CHARS) return 'too-large';
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return 'binary';
  // eslint-disable-next-line no-control-regex
  const controls = head.match(/[\u0001-\u0008\u000E-\u001F]/g)?.length ?? 0;
  if (controls > head.length / 20) return 'binary';
  let longest = 0;
  let lines = 1;
  let last = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - last);
    last = i + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - last);
  if (longest > 2000 && text.length / lines > 300) return 'minified';
  return undefined;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  // A trailing newline does not start a line of code.
  return text.endsWith('\n') && n > 1 ? n - 1 : n;
}

interface Unit {
  node: TsNode;
  exported: boolean;
}

const CLASS_LIKE = new Set(['class_declaration', 'abstract_class_declaration', 'class_definition', 'interface_declaration', 'enum_declaration', 'record_declaration', 'impl_item', 'trait_item']);

/** Top-level statements, and the members of classes, impls and modules, as separately cached units. */
function enumerateUnits(root: TsNode, spec: LangSpec, language: LanguageId, text: string): { units: Unit[]; classes: number } {
  const units: Unit[] = [];
  let classes = 0;
  const descend = (n: TsNode): boolean => {
    if (!spec.containers.has(n.type)) return false;
    if (n.type === 'export_statement') {
      const d = n.childForFieldName('declaration');
      return !!d && (d.type === 'class_declaration' || d.type === 'abstract_class_declaration');
    }
    if (n.type === 'decorated_definition') return n.childForFieldName('definition')?.type === 'class_definition';
    if (n.type === 'block') return n.parent?.type === 'class_definition';
    if (n.type === 'mod_item') return n.childForFieldName('body') !== null;
    return true;
  };
  const visit = (parent: TsNode, exported: boolean, depth: number): void => {
    for (const c of parent.children) {
      if (!c) continue;
      if (depth < 8 && descend(c)) {
        if (CLASS_LIKE.has(c.type)) classes++;
        visit(c, exported || c.type === 'export_statement', depth + 1);
        continue;
      }
      if (spec.classes.has(c.type)) classes++;
      const isJs = language === 'javascript' || language === 'typescript' || language === 'tsx';
      const exp = exported || (isJs && (c.type === 'export_statement' || /^(module\.)?exports\b/.test(text.slice(c.startIndex, c.startIndex + 24))));
      units.push({ node: c, exported: exp });
    }
  };
  visit(root, false, 0);
  return { units, classes };
}

/**
 * One file's parse tree and per-unit results. Re-analysis re-runs the detectors only on units
 * whose text changed (a unit is a top-level statement or a class member): results are cached
 * by the unit's text, so an edit costs an incremental re-parse plus the edited unit.
 */
export class FileState {
  private tree: Tree | undefined;
  private cache = new Map<string, UnitAnalysis>();
  private current: FileAnalysis;
  text = '';

  constructor(
    readonly file: string,
    readonly language: LanguageId,
    private readonly host: ParserHost,
  ) {
    this.current = this.empty(undefined);
  }

  get analysis(): FileAnalysis {
    return this.current;
  }

  /** Replaces the whole text (a fresh parse) and re-analyses. */
  setText(text: string): FileAnalysis {
    this.text = text;
    this.tree?.delete();
    this.tree = undefined;
    return this.reanalyse();
  }

  /**
   * Applies edits in order, each against the text left by the previous one (VS Code lists a
   * multi-cursor edit's changes so that this order is right), then re-parses incrementally.
   */
  applyChanges(changes: readonly TextChange[]): FileAnalysis {
    let text = this.text;
    for (const ch of changes) {
      const start = Math.max(0, Math.min(ch.rangeOffset, text.length));
      const oldEnd = Math.max(start, Math.min(start + ch.rangeLength, text.length));
      const next = text.slice(0, start) + ch.text + text.slice(oldEnd);
      if (this.tree) {
        this.host.edit(this.tree, {
          startIndex: start,
          oldEndIndex: oldEnd,
          newEndIndex: start + ch.text.length,
          startPosition: pointAt(text, start),
          oldEndPosition: pointAt(text, oldEnd),
          newEndPosition: pointAt(next, start + ch.text.length),
        });
      }
      text = next;
    }
    this.text = text;
    return this.reanalyse();
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.cache.clear();
  }

  private empty(skipped: SkipReason | undefined): FileAnalysis {
    return { file: this.file, language: this.language, text: this.text, lines: countLines(this.text), hasErrors: false, skipped, findings: [], functions: [], imports: [], classes: 0, failures: [] };
  }

  private reanalyse(): FileAnalysis {
    const skip = skipReason(this.text);
    if (skip) {
      this.tree?.delete();
      this.tree = undefined;
      this.cache.clear();
      return (this.current = this.empty(skip));
    }
    const old = this.tree;
    const tree = this.host.parse(this.language, this.text, old);
    old?.delete();
    this.tree = tree;
    if (!tree) {
      this.cache.clear();
      return (this.current = this.empty('parse-timeout'));
    }
    const spec = specFor(this.language);
    const { units, classes } = enumerateUnits(tree.rootNode, spec, this.language, this.text);
    const nextCache = new Map<string, UnitAnalysis>();
    const findings: Finding[] = [];
    const functions: FunctionSummary[] = [];
    const imports: ImportRef[] = [];
    const failures: string[] = [];
    const python = this.language === 'python';
    for (const u of units) {
      const start = u.node.startIndex;
      const end = u.node.endIndex;
      const text = this.text.slice(start, end);
      const key = (u.exported ? 'E' : 'L') + text;
      const broken = u.node.hasError;
      let result = broken ? undefined : (this.cache.get(key) ?? nextCache.get(key));
      if (!result) {
        try {
          const { root } = copyTree(u.node, tree.language);
          result = analyzeUnit(this.language, { spec, text, python }, root, u.exported);
        } catch (err) {
          result = { findings: [], functions: [], imports: [], classes: 0, failures: [`unit at line ${u.node.startPosition.row + 1}: ${err instanceof Error ? err.message : String(err)}`] };
        }
      }
      if (!broken) nextCache.set(key, result);
      const row = u.node.startPosition.row;
      for (const f of result.findings) findings.push({ pattern: f.pattern, file: this.file, startLine: row + f.startLine + 1, endLine: row + f.endLine + 1, strength: f.strength, message: f.message });
      for (const f of result.functions) functions.push({ ...f, startLine: row + f.startLine + 1, endLine: row + f.endLine + 1 });
      imports.push(...result.imports);
      failures.push(...result.failures);
    }
    this.cache = nextCache;
    findings.push(...identicalFunctions(this.file, functions));
    sortFindings(findings);
    return (this.current = { file: this.file, language: this.language, text: this.text, lines: countLines(this.text), hasErrors: tree.rootNode.hasError, skipped: undefined, findings, functions, imports, classes, failures });
  }
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** sonarjs `no-identical-functions`: every function whose body has the same tokens as another's. */
function identicalFunctions(file: string, functions: readonly FunctionSummary[]): Finding[] {
  const groups = new Map<string, FunctionSummary[]>();
  for (const f of functions) {
    if (f.identicalKey === undefined) continue;
    const g = groups.get(f.identicalKey);
    if (g) g.push(f);
    else groups.set(f.identicalKey, [f]);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    for (const f of g) {
      const other = g.find((x) => x !== f);
      if (!other) continue;
      out.push({ pattern: 'REPEATED_SIMILAR_BLOCKS', file, startLine: f.startLine, endLine: f.endLine, strength: 0.9, message: `${f.name ?? 'function'} has the same body as ${other.name ?? 'the function'} at line ${other.startLine}` });
    }
  }
  return out;
}

const PATTERN_ORDER = new Map<string, number>(PATTERNS.map((p, i) => [p, i]));

/** Orders findings by line, then by pattern. */
export function sortFindings(findings: Finding[]): void {
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.startLine - b.startLine || a.endLine - b.endLine || (PATTERN_ORDER.get(a.pattern) ?? 0) - (PATTERN_ORDER.get(b.pattern) ?? 0) || a.message.localeCompare(b.message));
}

/** Analyses one text in full (no incremental state kept). The grammar must be loaded. */
export function analyzeText(host: ParserHost, file: string, language: LanguageId, text: string): FileAnalysis {
  const state = new FileState(file, language, host);
  try {
    return state.setText(text);
  } finally {
    state.dispose();
  }
}
