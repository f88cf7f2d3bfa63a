import type { Language, Node as TsNode, Tree } from 'web-tree-sitter';
import { PATTERNS } from '../engine/index';
import type { FunctionSummary, ImportRef, UnitAnalysis } from './detectors';
import { analyzeUnit, identityKey } from './detectors';
import { openCursor, releaseTransferBuffer } from './cursor';
import type { Binding, Cursor } from './cursor';
import type { ParserHost } from './parser';
import type { TreeReader } from './reader';
import { MemCursor } from './reader';
import { specFor } from './spec';
import type { LangSpec } from './spec';
import { LineIndex, copyTree } from './syntax';
import type { SNode } from './syntax';
import type { WindowKeys } from './clones';
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
  /** The clone detector's window keys for those tokens, kept the same way. */
  windowKeys?: WindowKeys;
}

/** Why a text should not be parsed at all, if it should not. */
export function skipReason(text: string, lines: LineIndex = new LineIndex(text)): SkipReason | undefined {
  if (text.length > MAX_FILE_CHARS) return 'too-large';
  // A NUL, or more than one in twenty control characters, in the first 8 KiB: binary. (A loop,
  // not a slice and a regular expression: this runs on every edit.)
  const head = Math.min(text.length, 8192);
  let controls = 0;
  for (let i = 0; i < head; i++) {
    const c = text.charCodeAt(i);
    if (c < 32) {
      if (c === 0) return 'binary';
      if (c <= 8 || c >= 14) controls++;
    }
  }
  if (controls > head / 20) return 'binary';
  if (text.length / lines.count > 300 && lines.longest(text.length) > 2000) return 'minified';
  return undefined;
}

function countLines(text: string, lines: LineIndex): number {
  // A trailing newline does not start a line of code.
  return text.endsWith('\n') && lines.count > 1 ? lines.count - 1 : lines.count;
}

interface Unit {
  start: number;
  end: number;
  exported: boolean;
  type: string;
}

const CLASS_LIKE = new Set(['class_declaration', 'abstract_class_declaration', 'class_definition', 'interface_declaration', 'enum_declaration', 'record_declaration', 'impl_item', 'trait_item']);
const EXPORTED_CLASS = /^export\s+(default\s+)?(abstract\s+)?class\b/;
const COMMONJS_EXPORT = /^(module\.)?exports\b/;

/**
 * Top-level statements, and the members of classes, impls and modules, as separately cached
 * units. Reads only type and offsets of the nodes it passes: this runs on every edit. `onUnit`
 * is called with the cursor standing on the unit.
 */
function enumerateUnits(
  cursor: Cursor,
  lang: Language,
  spec: LangSpec,
  language: LanguageId,
  text: string,
  survivors: readonly CachedUnit[],
  onUnit: (u: Unit, survivor: CachedUnit | undefined) => void,
): number {
  let si = 0;
  let classes = 0;
  const js = language === 'javascript' || language === 'typescript' || language === 'tsx';
  const names: string[] = [];
  const typeName = (id: number): string => (names[id] ??= lang.nodeTypeForId(id) ?? '');
  const visit = (exported: boolean, depth: number): void => {
    if (!cursor.gotoFirstChild()) return;
    do {
      const type = typeName(cursor.typeId());
      const start = cursor.startIndex();
      let descend = depth < 8 && spec.containers.has(type);
      if (descend && type === 'export_statement') {
        const head = text.slice(start, start + 40);
        descend = head.includes('class') && EXPORTED_CLASS.test(head);
      }
      if (descend) {
        if (CLASS_LIKE.has(type)) classes++;
        visit(exported || type === 'export_statement', depth + 1);
        continue;
      }
      if (spec.classes.has(type)) classes++;
      if (!spec.comments.has(type) && cursor.isNamed()) {
        const exp = exported || (js && (type === 'export_statement' || COMMONJS_EXPORT.test(text.slice(start, start + 24))));
        const end = cursor.endIndex();
        while (si < survivors.length && (survivors[si]?.start ?? 0) < start) si++;
        const s = survivors[si];
        const survives = !!s && s.start === start && s.end === end && s.exported === exp && s.type === type;
        onUnit({ start, end, exported: exp, type }, survives ? s : undefined);
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };
  visit(false, 0);
  return classes;
}

/** The unit the walk stands on, read only when it must be analysed. */
interface UnitNode {
  hasError(): boolean;
  /** The unit's subtree as plain objects, and all of them in document order; `text` is the unit's own text. */
  copy(text: string): { root: SNode; all: SNode[] };
}

/**
 * A walk over the units of a tree: from wasm memory when the grammar's reader passed its check,
 * else with a tree cursor.
 */
function unitWalk(tree: Tree, spec: LangSpec, reader: TreeReader | undefined, binding: Binding | undefined): { cursor: Cursor; unit: () => UnitNode } {
  if (reader) {
    const cursor = new MemCursor(reader, reader.root(tree));
    const roles = reader.rolesFor(spec.roles);
    return {
      cursor,
      unit: () => {
        const m = cursor.current();
        return {
          hasError: () => reader.hasError(m),
          copy: () => {
            const all: SNode[] = [];
            return { root: reader.copy(m, roles, all).root, all };
          },
        };
      },
    };
  }
  const cursor = openCursor(tree.rootNode, binding);
  return {
    cursor,
    unit: () => {
      const n = cursor.node();
      return {
        hasError: () => errorsIn(n),
        copy: (text) => {
          const all: SNode[] = [];
          return { root: copyTree(n, tree.language, text, binding, spec.roles, all).root, all };
        },
      };
    },
  };
}

/** One analysed unit, kept while its text is unchanged. */
interface CachedUnit {
  key: string;
  exported: boolean;
  type: string;
  analysis: UnitAnalysis;
  start: number;
  end: number;
  /** The absolute findings and functions as last placed, and the row they were placed at. */
  row: number;
  findings: Finding[];
  functions: FunctionSummary[];
}

interface Edit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * One file's parse tree and per-unit results. Re-analysis re-runs the detectors only on units
 * whose text changed (a unit is a top-level statement or a class member). A unit the edit did
 * not touch is recognised by its offsets, moved by the edit; any other unit by its text. So an
 * edit costs an incremental re-parse, a walk over the top-level nodes and the edited unit.
 */
export class FileState {
  private tree: Tree | undefined;
  private units: CachedUnit[] = [];
  private byText = new Map<string, CachedUnit>();
  private edits: Edit[] = [];
  private lineIndex: LineIndex | undefined;
  private current: FileAnalysis;
  text = '';

  constructor(
    readonly file: string,
    readonly language: LanguageId,
    private readonly host: ParserHost,
  ) {
    this.current = this.empty(undefined, new LineIndex(''));
  }

  get analysis(): FileAnalysis {
    return this.current;
  }

  /**
   * Replaces the whole text and re-analyses. Once the file has a tree, only the span between the
   * old and new texts' common start and common end counts as edited, so a host that sends whole
   * documents (the extension does, after each pause in typing) still gets an incremental
   * re-parse; otherwise the text is parsed afresh.
   */
  setText(text: string): FileAnalysis {
    if (this.tree) return text === this.text ? this.current : this.applyChanges([changedSpan(this.text, text)]);
    this.edits.push({ start: 0, oldEnd: this.text.length, newEnd: text.length });
    this.text = text;
    return this.reanalyse();
  }

  /**
   * Applies edits in order, each against the text left by the previous one (VS Code lists a
   * multi-cursor edit's changes so that this order is right), then re-parses incrementally.
   */
  applyChanges(changes: readonly TextChange[]): FileAnalysis {
    let text = this.text;
    let index = this.lineIndex;
    for (const ch of changes) {
      const start = Math.max(0, Math.min(ch.rangeOffset, text.length));
      const oldEnd = Math.max(start, Math.min(start + ch.rangeLength, text.length));
      const next = text.slice(0, start) + ch.text + text.slice(oldEnd);
      if (this.tree) {
        const startPosition = pointAt(text, start, index);
        const oldEndPosition = pointAt(text, oldEnd, index);
        this.host.edit(this.tree, { startIndex: start, oldEndIndex: oldEnd, newEndIndex: start + ch.text.length, startPosition, oldEndPosition, newEndPosition: advance(startPosition, ch.text) });
      }
      this.edits.push({ start, oldEnd, newEnd: start + ch.text.length });
      text = next;
      index = index?.edited(start, oldEnd, ch.text);
    }
    this.text = text;
    return this.reanalyse(index);
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.units = [];
    this.byText.clear();
  }

  private empty(skipped: SkipReason | undefined, lines: LineIndex): FileAnalysis {
    return { file: this.file, language: this.language, text: this.text, lines: countLines(this.text, lines), hasErrors: false, skipped, findings: [], functions: [], imports: [], classes: 0, failures: [] };
  }

  private forgetUnits(): void {
    this.units = [];
    this.byText.clear();
    this.edits = [];
  }

  /** Moves the previous units through the pending edits; those an edit touched are dropped. */
  private survivors(): CachedUnit[] {
    const out: CachedUnit[] = [];
    for (const u of this.units) {
      let start = u.start;
      let end = u.end;
      let touched = false;
      for (const e of this.edits) {
        if (end <= e.start) continue;
        if (start >= e.oldEnd) {
          start += e.newEnd - e.oldEnd;
          end += e.newEnd - e.oldEnd;
          continue;
        }
        touched = true;
        break;
      }
      if (!touched) {
        u.start = start;
        u.end = end;
        out.push(u);
      }
    }
    return out;
  }

  /** Re-analyses the current text; `lines` is its line index when the edits kept one up to date. */
  private reanalyse(lines: LineIndex = new LineIndex(this.text)): FileAnalysis {
    this.lineIndex = lines;
    const skip = skipReason(this.text, lines);
    if (skip) {
      this.tree?.delete();
      this.tree = undefined;
      this.forgetUnits();
      return (this.current = this.empty(skip, lines));
    }
    const old = this.tree;
    let tree = this.host.parse(this.language, this.text, old);
    old?.delete();
    if (old && tree?.rootNode.hasError) {
      // Error recovery can shape an incrementally re-parsed tree differently from a fresh parse
      // of the same text; while the file has syntax errors, parse it afresh so the findings are
      // always those of the text alone.
      tree.delete();
      tree = this.host.parse(this.language, this.text);
    }
    this.tree = tree;
    if (!tree) {
      this.forgetUnits();
      return (this.current = this.empty('parse-timeout', lines));
    }
    const spec = specFor(this.language);
    // Both lists are in document order: the walk matches them side by side.
    const survivors = this.survivors();
    const kept: CachedUnit[] = [];
    /** Units analysed or found by their text in this pass (not carried over by offset). */
    const fresh: CachedUnit[] = [];
    let findings: Finding[] = [];
    const functions: FunctionSummary[] = [];
    const imports: ImportRef[] = [];
    const failures: string[] = [];
    const python = this.language === 'python';
    // Units are handled as the walk meets them: the cursor stands on the unit, so its node is
    // read only when the unit must be analysed.
    // With syntax errors anywhere, a unit's text no longer settles its parse: reuse only units
    // whose node is free of errors.
    const checkErrors = tree.rootNode.hasError;
    const walk = unitWalk(tree, spec, this.host.reader(this.language), this.host.binding);
    let classes: number;
    try {
      classes = enumerateUnits(walk.cursor, tree.language, spec, this.language, this.text, survivors, (u, survivor) => {
        const row = lines.lineOf(u.start);
        let node: UnitNode | undefined;
        const broken = (): boolean => (node ??= walk.unit()).hasError();
        let cached = survivor && !(checkErrors && broken()) ? survivor : undefined;
        if (!cached) {
          // A copy, not a slice: whatever the analysis keeps (names, messages, bodies) would
          // otherwise keep this version of the whole file alive as long as the unit is cached.
          const text = detach(this.text.slice(u.start, u.end));
          // Exported and local copies of one text are analysed apart (validation depends on it).
          const key = u.exported ? `E${text}` : `L${text}`;
          const known = this.byText.get(key);
          if (known && known.type === u.type && !(checkErrors && broken())) cached = { ...known, start: u.start, end: u.end };
          else {
            node ??= walk.unit();
            let analysis: UnitAnalysis;
            try {
              const { root, all } = node.copy(text);
              analysis = analyzeUnit(this.language, { spec, text, python }, root, u.exported, all);
            } catch (err) {
              analysis = { findings: [], functions: [], imports: [], classes: 0, failures: [`unit at line ${row + 1}: ${err instanceof Error ? err.message : String(err)}`] };
            }
            cached = { key, exported: u.exported, type: u.type, analysis, start: u.start, end: u.end, row: -1, findings: [], functions: [] };
            // A unit with syntax errors is analysed afresh on every pass: its parse may still change.
            if (node.hasError()) {
              place(cached, row, this.file);
              collect(cached, findings, functions, imports, failures);
              return;
            }
          }
        }
        if (cached.row !== row) place(cached, row, this.file);
        kept.push(cached);
        if (cached !== survivor) fresh.push(cached);
        collect(cached, findings, functions, imports, failures);
      });
    } finally {
      walk.cursor.delete();
    }
    this.units = kept;
    this.edits = [];
    // The text index keeps entries of units that went away for a while (an undo brings them
    // back cheaply) and is rebuilt when it has grown to twice the live units.
    // (Survivors are in it already.)
    for (const c of fresh) this.byText.set(c.key, c);
    if (this.byText.size > 2 * kept.length + 64) this.byText = new Map(kept.map((c) => [c.key, c]));
    // Each unit's findings are sorted when placed, and units come in document order: the list
    // is sorted already unless two units share a line. The same order as sorting it all.
    if (!isSorted(findings)) sortFindings(findings);
    const identical = identicalFunctions(this.file, functions);
    sortFindings(identical);
    findings = mergeSorted(findings, identical);
    return (this.current = { file: this.file, language: this.language, text: this.text, lines: countLines(this.text, lines), hasErrors: tree.rootNode.hasError, skipped: undefined, findings, functions, imports, classes, failures });
  }
}

/**
 * The one change that turns `before` into `after`: everything between their common start and
 * their common end. Neither end splits a surrogate pair.
 */
export function changedSpan(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  let head = 0;
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  if (head > 0 && isHighSurrogate(before.charCodeAt(head - 1))) head--;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  if (tail > 0 && isLowSurrogate(before.charCodeAt(before.length - tail))) tail--;
  return { rangeOffset: head, rangeLength: before.length - tail - head, text: after.slice(head, after.length - tail) };
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * A copy of `s` that shares no memory with the string it was cut from. V8 represents a slice
 * of 13 or more characters as a view on its parent, keeping all of the parent alive; a string
 * built by concatenation is copied flat when it is sliced, and the slice then points into that
 * copy only.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Whether a node contains syntax errors (a public-API call: fast cursors step aside first). */
function errorsIn(node: TsNode): boolean {
  releaseTransferBuffer();
  return node.hasError;
}

function collect(c: CachedUnit, findings: Finding[], functions: FunctionSummary[], imports: ImportRef[], failures: string[]): void {
  push(findings, c.findings);
  push(functions, c.functions);
  push(imports, c.analysis.imports);
  push(failures, c.analysis.failures);
}

function push<T>(into: T[], from: readonly T[]): void {
  for (const x of from) into.push(x);
}

/** Places a unit's relative findings at its current row. */
function place(c: CachedUnit, row: number, file: string): void {
  c.row = row;
  c.findings = c.analysis.findings.map((f) => ({ pattern: f.pattern, file, startLine: row + f.startLine + 1, endLine: row + f.endLine + 1, strength: f.strength, message: f.message }));
  sortFindings(c.findings);
  c.functions = c.analysis.functions.map((f) => ({ name: f.name, startLine: row + f.startLine + 1, endLine: row + f.endLine + 1, cognitive: f.cognitive, depth: f.depth, identity: f.identity }));
}

function pointAt(text: string, offset: number, index: LineIndex | undefined): { row: number; column: number } {
  if (index) {
    const row = index.lineOf(offset);
    return { row, column: offset - index.startOf(row) };
  }
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function advance(p: { row: number; column: number }, inserted: string): { row: number; column: number } {
  const last = inserted.lastIndexOf('\n');
  if (last < 0) return { row: p.row, column: p.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: p.row + rows, column: inserted.length - last - 1 };
}

/** sonarjs `no-identical-functions`: every function whose body has the same tokens as another's. */
function identicalFunctions(file: string, functions: readonly FunctionSummary[]): Finding[] {
  // Cheap signatures first; tokens only where two signatures meet.
  const bySig = new Map<string, FunctionSummary[]>();
  for (const f of functions) {
    if (f.identity === undefined) continue;
    const g = bySig.get(f.identity.sig);
    if (g) g.push(f);
    else bySig.set(f.identity.sig, [f]);
  }
  const groups = new Map<string, FunctionSummary[]>();
  // Bodies with the same text have the same tokens: each distinct text is tokenised once.
  const keyOfText = new Map<string, string>();
  for (const candidates of bySig.values()) {
    if (candidates.length < 2) continue;
    for (const f of candidates) {
      if (!f.identity) continue;
      let key = f.identity.key ?? keyOfText.get(f.identity.body);
      if (key === undefined) {
        key = identityKey(f.identity);
        keyOfText.set(f.identity.body, key);
      } else f.identity.key = key;
      const g = groups.get(key);
      if (g) g.push(f);
      else groups.set(key, [f]);
    }
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

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order of findings: by file, line, end line, pattern, message. */
function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.file, b.file) || a.startLine - b.startLine || a.endLine - b.endLine || (PATTERN_ORDER.get(a.pattern) ?? 0) - (PATTERN_ORDER.get(b.pattern) ?? 0) || cmp(a.message, b.message);
}

/** Orders findings by line, then by pattern (a stable sort). */
export function sortFindings(findings: Finding[]): void {
  findings.sort(compareFindings);
}

function isSorted(findings: readonly Finding[]): boolean {
  for (let i = 1; i < findings.length; i++) if (compareFindings(findings[i - 1] as Finding, findings[i] as Finding) > 0) return false;
  return true;
}

/** Two sorted lists as one, ties taken from `a` first: what a stable sort of `a` then `b` gives. */
function mergeSorted(a: Finding[], b: readonly Finding[]): Finding[] {
  if (b.length === 0) return a;
  const out: Finding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Finding;
    const y = b[j] as Finding;
    if (compareFindings(y, x) < 0) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
    }
  }
  while (i < a.length) out.push(a[i++] as Finding);
  while (j < b.length) out.push(b[j++] as Finding);
  return out;
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
