import type { LanguageId } from './types';

const EXTENSIONS: Readonly<Record<string, LanguageId>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.java': 'java',
  '.rs': 'rust',
};

/** VS Code language ids (and a few common aliases) → the grammar that parses them. */
const EDITOR_IDS: Readonly<Record<string, LanguageId>> = {
  typescript: 'typescript',
  typescriptreact: 'tsx',
  tsx: 'tsx',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  jsx: 'javascript',
  python: 'python',
  go: 'go',
  java: 'java',
  rust: 'rust',
};

/** The language of a file name by its extension; undefined for files no grammar covers. */
export function languageOfPath(file: string): LanguageId | undefined {
  const m = /(\.[A-Za-z0-9]+)$/.exec(file);
  if (!m?.[1]) return undefined;
  if (/\.d\.[cm]?ts$/.test(file)) return 'typescript';
  return EXTENSIONS[m[1].toLowerCase()];
}

/** The language for an editor's language id (e.g. `typescriptreact` → `tsx`), if supported. */
export function languageOfEditorId(id: string): LanguageId | undefined {
  return EDITOR_IDS[id];
}

/**
 * Languages whose files can take part in one clone comparison. jscpd compares only files of one
 * format; TypeScript and TSX are different formats there, and so they are here.
 */
export function cloneGroup(language: LanguageId, file: string): string {
  if (language === 'javascript' && /\.jsx$/i.test(file)) return 'jsx';
  return language;
}
