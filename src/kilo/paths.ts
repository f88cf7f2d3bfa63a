import os from 'node:os';
import path from 'node:path';

/**
 * Where the Kilo integration keeps its files. Everything for one project lives under
 * `<project>/.kilo/`, next to Kilo's own config, so the VS Code extension, the CLI and the plugin
 * inside `kilo serve` all find the same files without talking to each other.
 */
export interface ProjectPaths {
  /** `<project>/.kilo` */
  kiloDir: string;
  /** `<project>/.kilo/convergence-routing.yaml`, the project's routing config. */
  config: string;
  /** `<project>/.kilo/plugin`, where Kilo loads plugins from by itself. */
  pluginDir: string;
  /** `<project>/.kilo/convergence`, the integration's own folder. */
  dataDir: string;
  /** Session state the extension publishes (see `state.ts`). */
  state: string;
  /** One line per routing decision (see `logs.ts`). */
  decisions: string;
  /** One line per completed assistant step. */
  outcomes: string;
  /** Problems the plugin met (it never throws into Kilo). */
  pluginLog: string;
}

/** The file name the plugin is installed under in a Kilo plugin folder. */
export const PLUGIN_FILE_NAME = 'convergence-routing.js';

export function projectPaths(project: string): ProjectPaths {
  const kiloDir = path.join(project, '.kilo');
  const dataDir = path.join(kiloDir, 'convergence');
  return {
    kiloDir,
    config: path.join(kiloDir, 'convergence-routing.yaml'),
    pluginDir: path.join(kiloDir, 'plugin'),
    dataDir,
    state: path.join(dataDir, 'state.json'),
    decisions: path.join(dataDir, 'decisions.jsonl'),
    outcomes: path.join(dataDir, 'outcomes.jsonl'),
    pluginLog: path.join(dataDir, 'plugin.log'),
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Kilo's user-level folder: `$XDG_CONFIG_HOME/kilo`, else `~/.config/kilo` (Kilo reads its
 * global `kilo.jsonc` and `plugin/` there on every platform).
 */
export function userKiloDir(env: Env, home: string = env['HOME'] ?? os.homedir()): string {
  const xdg = env['XDG_CONFIG_HOME'];
  return path.join(xdg !== undefined && xdg !== '' ? xdg : path.join(home, '.config'), 'kilo');
}

/** The user-level routing config, read after the project's. */
export function userConfigPath(env: Env, home?: string): string {
  return path.join(userKiloDir(env, home), 'convergence-routing.yaml');
}

/** The user-level plugin folder (`kilo install --global`). */
export function userPluginDir(env: Env, home?: string): string {
  return path.join(userKiloDir(env, home), 'plugin');
}
