// Runs the real Kilo CLI (@kilocode/cli 7.7.7, installed by scripts/kilo-e2e.mjs into
// .test-infra/kilo) the way docs/kilo-integration.md describes: offline, PWD set to the project,
// HOME and XDG folders in a temp dir, inherited KILO_*/OPENCODE_* variables dropped.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const KILO_VERSION = '7.7.7';

/**
 * The Kilo binary in `<root>/.test-infra/kilo`: the platform package's executable, else the npm
 * wrapper. `root` is the repository (benchmarks run from a bundle elsewhere and pass it).
 */
export function kiloBinary(root: string = path.resolve(__dirname, '../..')): string | undefined {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const modules = path.join(root, '.test-infra', 'kilo', 'node_modules');
  const candidates = [
    path.join(modules, '@kilocode', `cli-${platform}-${os.arch()}`, 'bin', 'kilo'),
    path.join(modules, '@kilocode', `cli-${platform}-${os.arch()}-baseline`, 'bin', 'kilo'),
    path.join(modules, '.bin', 'kilo'),
  ];
  return candidates.find((c) => existsSync(c));
}

/** Kilo's variables for a quiet, offline run (never KILO_PURE: it turns plugins off). */
export const OFFLINE_ENV: Readonly<Record<string, string>> = {
  KILO_DISABLE_AUTOUPDATE: '1',
  KILO_DISABLE_MODELS_FETCH: '1',
  KILO_DISABLE_SHARE: '1',
  KILO_TELEMETRY_LEVEL: 'off',
  KILO_DISABLE_LSP_DOWNLOAD: '1',
  KILO_DISABLE_DEFAULT_PLUGINS: '1',
  KILO_NO_DAEMON: '1',
  KILO_DISABLE_SESSION_INGEST: '1',
  KILO_DISABLE_CLAUDE_CODE: '1',
};

/** The environment for one run: this process's, less Kilo's and OpenCode's, plus the offline set. */
export function kiloEnv(project: string, home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('KILO_') || k.startsWith('OPENCODE_') || k.startsWith('XDG_') || k === 'CONVERGENCE_ROUTING_ENABLED') continue;
    env[k] = v;
  }
  return {
    ...env,
    ...OFFLINE_ENV,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    // Kilo takes its project from $PWD, not from the working directory.
    PWD: project,
    ...extra,
  };
}

/** kilo.jsonc offering two priced models from an OpenAI-compatible server. */
export function writeKiloConfig(project: string, baseURL: string): void {
  const config = {
    provider: {
      local: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Local',
        options: { baseURL, apiKey: 'dummy' },
        models: {
          cheap: { cost: { input: 0.1, output: 0.4 }, limit: { context: 128000, output: 8192 } },
          strong: { cost: { input: 3, output: 15 }, limit: { context: 200000, output: 8192 } },
        },
      },
    },
    enabled_providers: ['local'],
    model: 'local/cheap',
    small_model: 'local/cheap',
    autoupdate: false,
    share: 'disabled',
  };
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, 'kilo.jsonc'), JSON.stringify(config, null, 2));
}

export interface KiloRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `kilo run <prompt> --auto [args]` in the project; killed after `timeoutMs`. */
export function kiloRun(
  binary: string,
  project: string,
  home: string,
  prompt: string,
  options: { env?: Record<string, string>; timeoutMs?: number; args?: string[] } = {},
): Promise<KiloRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['run', prompt, '--auto', ...(options.args ?? [])], { cwd: project, env: kiloEnv(project, home, options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
