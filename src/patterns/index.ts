// The one public entry of the pattern detectors. No editor dependency: the VS Code host and
// the CLI both build on this.
export { LANGUAGES } from './types';
export type { FileReport, Finding, LanguageId, PatternLogger, SkipReason } from './types';
export { languageOfEditorId, languageOfPath } from './languages';
export { ParserHost, defaultLocateWasm, RUNTIME_WASM, DEFAULT_PARSE_BUDGET_MS } from './parser';
export { FileState, MAX_FILE_CHARS, analyzeText, changedSpan, skipReason, sortFindings } from './analyzer';
export type { FileAnalysis, TextChange } from './analyzer';
export { crossFileFindings, CLEAN_MODULE } from './project';
export { PatternTracker } from './tracker';
export type { FindingsAtLine, PatternTrackerOptions } from './tracker';
export { analyzeFiles } from './batch';
export type { BatchInput, BatchResult } from './batch';
export { COGNITIVE_LIMIT, DEPTH_LIMIT, IDENTICAL_MIN_LINES } from './detectors';
export { CLONE_MIN_LINES, CLONE_MIN_TOKENS } from './clones';
export { FAN_OUT_LIMIT } from './graph';
