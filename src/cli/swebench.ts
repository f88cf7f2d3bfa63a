/**
 * The SWE-bench Verified bash-only records (../shared/data) and how their model ids map to the
 * router's profiles. This table is the only place the mapping lives.
 */

/**
 * Model id in `swebench_verified_bashonly_per_instance.csv` → router profile id. `null`: the
 * default config has no profile for that model yet; the replay leaves it out and says so.
 */
export const SWEBENCH_PROFILE_IDS: Readonly<Record<string, string | null>> = {
  'claude-opus-4-5-20251101': 'claude-opus-4.5',
  'gemini-3-pro-preview': 'gemini-3-pro',
  'claude-sonnet-4-5-20250929': 'claude-sonnet-4.5',
  'claude-4-opus-20250514': null,
  'gpt-5.1-codex@medium': 'gpt-5.1-codex',
  'gpt-5.1-2025-11-13@medium': 'gpt-5.1',
  'gpt-5-2025-08-07@medium': null,
  'claude-4-sonnet-20250514': null,
  'minimax-m2': 'minimax-m2',
  'deepseek-v3.2-reasoner': 'deepseek-v3.2',
  'gpt-5-mini-2025-08-07@medium': 'gpt-5-mini',
  'o3-20250416': null,
  'devstral-small-2512': null,
  'Qwen3-Coder-480B-A35B-Instruct': 'qwen3-coder',
  'glm-4.6': 'glm-4.6',
  'GLM-4.5': null,
  'devstral-2512': null,
  'gemini-2.5-pro': null,
  'o4-mini-20250416': null,
  'Kimi-K2-Instruct': 'kimi-k2',
  'gpt-5-nano-2025-08-07@medium': null,
  'gpt-oss-120b': null,
  'llama-4-maverick-instruct': null,
  'Qwen2.5-Coder-32B-Instruct': null,
};

/**
 * Runs the data's README says to leave out: `claude-3-7-sonnet-20250219` is marked inconsistent
 * (its per-task rows show 51/500 solved against 52.8% on the leaderboard).
 */
export const SWEBENCH_EXCLUDED_MODELS: readonly string[] = ['claude-3-7-sonnet-20250219'];

/** The attribution the data's README asks to keep wherever figures from it are used. */
export const SWEBENCH_ATTRIBUTION =
  'Outcomes: SWE-bench bash-only leaderboard (SWE-bench/swe-bench.github.io, data/leaderboards.json @ f1176b6, CC BY-NC 4.0). ' +
  'Tasks: SWE-bench Verified via ITMO-NSS-team/chronorepo_icdm26 (BSD-3-Clause), annotations by OpenAI via OpenAutoCoder/Agentless (MIT).';
