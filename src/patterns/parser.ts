import path from 'node:path';
import type * as WebTreeSitterModule from 'web-tree-sitter';
import type { Point, Language as TsLanguage, Parser as TsParser, Tree } from 'web-tree-sitter';
import type { Binding } from './cursor';
import { bindingOf } from './cursor';
import { PROBES } from './probes';
import type { TreeReader } from './reader';
import { verifiedReader } from './reader';
import type { LanguageId } from './types';

type WebTreeSitter = typeof WebTreeSitterModule;

const GRAMMAR_FILES: Readonly<Record<LanguageId, string>> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  java: 'tree-sitter-java.wasm',
  rust: 'tree-sitter-rust.wasm',
};

const RUNTIME_PACKAGE = 'web-tree-sitter';
const GRAMMAR_PACKAGE = '@vscode/tree-sitter-wasm/package.json';

/** The web-tree-sitter runtime's own wasm file name. */
export const RUNTIME_WASM = 'web-tree-sitter.wasm';

/** True in the bundles esbuild.mjs writes to dist/, which ship the wasm files in dist/grammars/. */
declare const GRAMMARS_BESIDE_BUNDLE: boolean | undefined;

/**
 * Finds a wasm file: in `grammars/` beside the running bundle (dist/cli.js and dist/patterns.js),
 * else in node_modules (tests, tsx, benchmark bundles).
 */
export function defaultLocateWasm(name: string): string {
  if (typeof GRAMMARS_BESIDE_BUNDLE !== 'undefined' && GRAMMARS_BESIDE_BUNDLE) return path.join(__dirname, 'grammars', name);
  // Package names in variables: a bundler must not try to resolve these at build time.
  if (name === RUNTIME_WASM) return path.join(path.dirname(require.resolve(RUNTIME_PACKAGE)), name);
  return path.join(path.dirname(require.resolve(GRAMMAR_PACKAGE)), 'wasm', name);
}

let sharedBinding: Binding | undefined;

/** How long one parse may take before it is cancelled, so a pathological file cannot hang the host. */
export const DEFAULT_PARSE_BUDGET_MS = 2000;

/**
 * Loads the parser runtime and each grammar on first use, never before: activating the
 * extension costs nothing until a supported file is edited.
 */
export class ParserHost {
  private runtime: Promise<WebTreeSitter> | undefined;
  private readonly languages = new Map<LanguageId, Promise<TsLanguage>>();
  private readonly parsers = new Map<LanguageId, TsParser>();
  private readonly readers = new Map<LanguageId, TreeReader | undefined>();
  private lib: WebTreeSitter | undefined;
  /** Direct access to the runtime's cursor exports (see cursor.ts), once loaded and if usable. */
  binding: Binding | undefined;

  constructor(
    private readonly locateWasm: (name: string) => string = defaultLocateWasm,
    private readonly clock: () => number = () => performance.now(),
    private readonly parseBudgetMs = DEFAULT_PARSE_BUDGET_MS,
  ) {}

  /** True once `ready(language)` has resolved, so parsing can be synchronous. */
  isReady(language: LanguageId): boolean {
    return this.parsers.has(language);
  }

  /** Loads the runtime and the grammar for one language (once; later calls share the promise). */
  async ready(language: LanguageId): Promise<void> {
    if (this.parsers.has(language)) return;
    const lib = await this.loadRuntime();
    let lang = this.languages.get(language);
    if (!lang) {
      lang = lib.Language.load(this.locateWasm(GRAMMAR_FILES[language]));
      this.languages.set(language, lang);
      // A failed load must not stick: the next call tries again.
      lang.catch(() => this.languages.delete(language));
    }
    const loaded = await lang;
    if (!this.parsers.has(language)) {
      const parser = new lib.Parser();
      parser.setLanguage(loaded);
      this.parsers.set(language, parser);
      this.readers.set(language, verifiedReader(this.binding, loaded, (text) => this.parse(language, text), PROBES[language]));
    }
  }

  /**
   * The reader that takes this grammar's trees straight from wasm memory, when the runtime's
   * layout passed its check at load time; undefined means trees are walked with a cursor.
   */
  reader(language: LanguageId): TreeReader | undefined {
    return this.readers.get(language);
  }

  /**
   * Parses (incrementally when `old` is given, already edited). Returns undefined when the parse
   * ran past its time budget.
   */
  parse(language: LanguageId, text: string, old?: Tree): Tree | undefined {
    const parser = this.parsers.get(language);
    if (!parser) throw new Error(`grammar for ${language} is not loaded yet; await ready("${language}") first`);
    const deadline = this.clock() + this.parseBudgetMs;
    const tree = parser.parse(text, old ?? null, {
      // Returning true cancels the parse (web-tree-sitter's typings say void).
      progressCallback: () => this.clock() > deadline,
    });
    return tree ?? undefined;
  }

  /** Tells a tree about an edit of its text, before it is re-parsed incrementally. */
  edit(tree: Tree, change: { startIndex: number; oldEndIndex: number; newEndIndex: number; startPosition: Point; oldEndPosition: Point; newEndPosition: Point }): void {
    if (!this.lib) throw new Error('the parser runtime is not loaded');
    tree.edit(new this.lib.Edit(change));
  }

  private loadRuntime(): Promise<WebTreeSitter> {
    if (!this.runtime) {
      const attempt = (async () => {
        // require, not import(): bundlers then pick the package's CommonJS build, whose wasm
        // loader works from a CommonJS bundle (the ESM build needs import.meta.url).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const lib = require('web-tree-sitter') as WebTreeSitter;
        const wasm = this.locateWasm(RUNTIME_WASM);
        // The runtime makes this object its module: the cursor exports are read from it.
        const options: Record<string, unknown> = { locateFile: () => wasm };
        await lib.Parser.init(options);
        // The runtime is initialised once per process: a later host's options stay empty.
        sharedBinding ??= bindingOf(options);
        this.binding = sharedBinding;
        this.lib = lib;
        return lib;
      })();
      this.runtime = attempt;
      attempt.catch(() => {
        this.runtime = undefined;
      });
    }
    return this.runtime;
  }
}
