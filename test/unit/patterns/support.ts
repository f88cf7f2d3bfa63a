import { ParserHost, analyzeFiles } from '../../../src/patterns/index';
import type { Finding, LanguageId } from '../../../src/patterns/index';

/** One parser host for the whole test run: grammars load once. */
export const host = new ParserHost();

/** Findings for one text, single-file and cross-file detectors alike. */
export async function findingsOf(file: string, text: string, language?: LanguageId): Promise<Finding[]> {
  const r = await analyzeFiles([{ file, text, ...(language ? { language } : {}) }], host);
  return r.files[0]?.findings ?? [];
}

/** Findings for several files analysed together. */
export async function findingsOfAll(files: Record<string, string>): Promise<Finding[]> {
  const r = await analyzeFiles(Object.entries(files).map(([file, text]) => ({ file, text })), host);
  return r.files.flatMap((f) => f.findings);
}

export const describeFindings = (fs: readonly Finding[]): string => fs.map((f) => `${f.pattern}@${f.startLine}-${f.endLine} ${f.message}`).join('\n') || '(none)';
