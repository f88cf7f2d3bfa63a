/**
 * The SWE-bench Verified bash-only records (../shared/data) and how their model ids map to the
 * router's profiles. This table is the only place the mapping lives.
 */

/**
 * Model id in `swebench_verified_bashonly_per_instance.csv` → router profile id, for the 24
 * consistent models. docs/model-profiles.md shows the same table; a unit test keeps the two equal.
 */
export const SWEBENCH_PROFILE_IDS: Readonly<Record<string, string>> = {
  'claude-opus-4-5-20251101': 'claude-opus-4.5',
  'gemini-3-pro-preview': 'gemini-3-pro',
  'claude-sonnet-4-5-20250929': 'claude-sonnet-4.5',
  'claude-4-opus-20250514': 'claude-opus-4',
  'gpt-5.1-codex@medium': 'gpt-5.1-codex',
  'gpt-5.1-2025-11-13@medium': 'gpt-5.1',
  'gpt-5-2025-08-07@medium': 'gpt-5',
  'claude-4-sonnet-20250514': 'claude-sonnet-4',
  'minimax-m2': 'minimax-m2',
  'deepseek-v3.2-reasoner': 'deepseek-v3.2',
  'gpt-5-mini-2025-08-07@medium': 'gpt-5-mini',
  'o3-20250416': 'o3',
  'devstral-small-2512': 'devstral-small-2',
  'Qwen3-Coder-480B-A35B-Instruct': 'qwen3-coder',
  'glm-4.6': 'glm-4.6',
  'GLM-4.5': 'glm-4.5',
  'devstral-2512': 'devstral-2',
  'gemini-2.5-pro': 'gemini-2.5-pro',
  'o4-mini-20250416': 'o4-mini',
  'Kimi-K2-Instruct': 'kimi-k2',
  'gpt-5-nano-2025-08-07@medium': 'gpt-5-nano',
  'gpt-oss-120b': 'gpt-oss-120b',
  'llama-4-maverick-instruct': 'llama-4-maverick',
  'Qwen2.5-Coder-32B-Instruct': 'qwen2.5-coder-32b',
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
