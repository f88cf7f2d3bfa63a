import type { FileAnalysis } from './analyzer';
import { sortFindings } from './analyzer';
import { currentKeys, findClones } from './clones';
import type { CloneSource } from './clones';
import { FAN_OUT_LIMIT, coupling } from './graph';
import { cloneGroup } from './languages';
import { ignoredRegions, tokenize } from './tokens';
import type { Finding } from './types';

/** CLEAN_ARCHITECTURE: a module off every cycle, with a small fan-out, a modest size and at most one class. */
export const CLEAN_MODULE = { maxFanOut: 7, maxLines: 400, maxClasses: 1 } as const;

function tokensOf(a: FileAnalysis): NonNullable<FileAnalysis['tokens']> {
  if (!a.tokens) {
    const ignored = ignoredRegions(a.text);
    const all = tokenize(a.text, a.language);
    a.tokens = ignored.length === 0 ? all : all.filter((t) => !ignored.some(([s, e]) => t.start < e && t.end > s));
  }
  return a.tokens;
}

/**
 * The detectors that need every file at once: token clones (jscpd's rule), runtime import
 * cycles and fan-out, and clean modules. Files are taken in path order so results do not
 * depend on the order they were opened in. Returns findings per file.
 */
export function crossFileFindings(files: readonly FileAnalysis[]): Map<string, Finding[]> {
  const live = files.filter((f) => !f.skipped).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const out = new Map<string, Finding[]>(live.map((f) => [f.file, []]));
  const seen = new Set<string>();
  const add = (f: Finding): void => {
    // One copy can pair with several others; it is still one place.
    const key = `${f.file}|${f.pattern}|${f.startLine}|${f.endLine}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.get(f.file)?.push(f);
  };
  const sources: CloneSource[] = live.map((f) => {
    const tokens = tokensOf(f);
    // Kept with the file: the next run re-hashes only the files whose text changed.
    f.windowKeys = currentKeys(tokens, f.windowKeys);
    return { file: f.file, group: cloneGroup(f.language, f.file), text: f.text, tokens, keys: f.windowKeys };
  });
  for (const c of findClones(sources)) {
    const strength = Math.min(1, Math.round((0.5 + c.lines / 40) * 100) / 100);
    add({ pattern: 'REPEATED_SIMILAR_BLOCKS', file: c.a.file, startLine: c.a.startLine, endLine: c.a.endLine, strength, message: `clone of ${c.b.file}:${c.b.startLine}-${c.b.endLine} (${c.tokens} tokens)` });
    add({ pattern: 'REPEATED_SIMILAR_BLOCKS', file: c.b.file, startLine: c.b.startLine, endLine: c.b.endLine, strength, message: `clone of ${c.a.file}:${c.a.startLine}-${c.a.endLine} (${c.tokens} tokens)` });
  }
  const graph = coupling(live.map((f) => ({ file: f.file, language: f.language, imports: f.imports })));
  for (const f of live) {
    const g = graph.get(f.file);
    if (!g) continue;
    const reasons: string[] = [];
    if (g.cycle.length > 0) reasons.push(`on a runtime import cycle with ${g.cycle.slice(0, 3).join(', ')}${g.cycle.length > 3 ? ` and ${g.cycle.length - 3} more` : ''}`);
    if (g.fanOut > FAN_OUT_LIMIT) reasons.push(`imports ${g.fanOut} distinct modules > ${FAN_OUT_LIMIT}`);
    if (reasons.length > 0) {
      const strength = Math.min(1, g.cycle.length > 0 ? 0.8 + g.cycle.length / 50 : 0.5 + (g.fanOut - FAN_OUT_LIMIT) / 20);
      add({ pattern: 'TIGHT_COUPLING', file: f.file, startLine: 1, endLine: f.lines, strength: Math.round(strength * 100) / 100, message: reasons.join('; ') });
    } else if (g.fanOut <= CLEAN_MODULE.maxFanOut && f.lines <= CLEAN_MODULE.maxLines && f.classes <= CLEAN_MODULE.maxClasses && !f.hasErrors) {
      add({ pattern: 'CLEAN_ARCHITECTURE', file: f.file, startLine: 1, endLine: f.lines, strength: 0.7, message: `no import cycle, imports ${g.fanOut} modules, ${f.lines} lines, ${f.classes} class${f.classes === 1 ? '' : 'es'}` });
    }
  }
  for (const list of out.values()) sortFindings(list);
  return out;
}
