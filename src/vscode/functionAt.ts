/**
 * Finds the function around a line from the text alone, so the hover needs no language server
 * and no network. Brace languages balance `{}` (skipping strings and comments roughly); Python
 * goes by indentation. Good enough to name and measure a function, not to parse it.
 */

/** A function found around a line; lines are 0-based and inclusive. */
export interface FunctionSpan {
  name: string;
  startLine: number;
  endLine: number;
}

const IDENT = '[A-Za-z_$][\\w$]*';
const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'with', 'else', 'do', 'new', 'typeof', 'await', 'super']);

const BRACE_HEADERS: RegExp[] = [
  new RegExp(`\\bfunction\\*?\\s+(${IDENT})\\s*[<(]`),
  new RegExp(`\\b(?:const|let|var)\\s+(${IDENT})\\s*(?::[^=]+)?=\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]+)?=>|${IDENT}\\s*=>)`),
  /\bfunc\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*[[(]/, // Go
  /\bfn\s+([A-Za-z_]\w*)\s*[<(]/, // Rust
  new RegExp(`^\\s*(?:(?:public|private|protected|static|async|override|readonly|abstract|final|virtual|export|default|get|set|[\\w<>\\[\\],.]+)\\s+)*(${IDENT})\\s*(?:<[^>]*>)?\\s*\\([^;]*$`), // methods, C-family
];
const PY_HEADER = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/;

/** Strips strings and comments well enough for brace counting. */
function code(line: string): string {
  return line
    .replace(/\/\/.*$/, '')
    .replace(/\/\*.*?\*\//g, '')
    .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""');
}

function braceEnd(lines: readonly string[], start: number, limit: number): number | undefined {
  let depth = 0;
  let opened = false;
  for (let i = start; i < lines.length && i < start + limit; i++) {
    for (const ch of code(lines[i] ?? '')) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') {
        depth--;
        if (opened && depth === 0) return i;
      } else if (ch === ';' && !opened) {
        return undefined; // a declaration or a call, not a body
      }
    }
  }
  return undefined;
}

function pythonEnd(lines: readonly string[], start: number, indent: number): number {
  let end = start;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (l.trim() === '') continue;
    const ind = l.length - l.trimStart().length;
    if (ind <= indent) break;
    end = i;
  }
  return end;
}

/**
 * The innermost function whose body contains `line`, looking at most `lookBack` lines up and
 * `maxLength` lines down.
 */
export function functionAt(text: string, line: number, languageId: string, lookBack = 400, maxLength = 2000): FunctionSpan | undefined {
  const lines = text.split(/\r?\n/);
  if (line < 0 || line >= lines.length) return undefined;
  const python = languageId === 'python';
  for (let h = line; h >= 0 && h >= line - lookBack; h--) {
    const l = lines[h] ?? '';
    if (python) {
      const m = PY_HEADER.exec(l);
      if (!m?.[2]) continue;
      const end = pythonEnd(lines, h, (m[1] ?? '').length);
      if (end >= line) return { name: m[2], startLine: h, endLine: end };
      continue;
    }
    for (const re of BRACE_HEADERS) {
      const m = re.exec(l);
      const name = m?.[1];
      if (!name || NOT_FUNCTIONS.has(name)) continue;
      const end = braceEnd(lines, h, maxLength);
      if (end !== undefined && end >= line) return { name, startLine: h, endLine: end };
      break;
    }
  }
  return undefined;
}
