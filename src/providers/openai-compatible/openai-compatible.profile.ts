import { harmless, type ParamRules } from '../canonical/param-rules';

/**
 * An OpenAI-compatible provider described as data: where it lives, how it authenticates, and
 * which Chat Completions parameters it cannot take. A profile file per provider
 * `satisfies OpenAiCompatibleProfile`; `apply-profile.ts` enforces it.
 */

export type OpenAiCompatibleProviderId =
  | 'openai'
  | 'groq'
  | 'together-ai'
  | 'fireworks-ai'
  | 'deepinfra'
  | 'baseten'
  | 'nebius'
  | 'perplexity'
  | 'xai'
  | 'moonshot'
  | 'minimax'
  | 'mistral'
  | 'deepseek';

export interface OpenAiCompatibleQuirks {
  /**
   * Which name the provider wants for the output-token cap; the other one is renamed to it.
   * Absent: whichever the caller used is forwarded.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /**
   * How a stream reports usage: `stream_options` when asked with `include_usage`, `always` on
   * its last chunk unasked, `never`.
   */
  streamUsage: 'stream_options' | 'always' | 'never';
  /** Parameters the provider knows under another name (e.g. Mistral's `random_seed`). */
  renamedParams?: Readonly<Record<string, string>>;
  /** Set when the caller left them out, to get OpenAI's behaviour from the provider. */
  defaults?: Readonly<Record<string, unknown>>;
}

/** Rules and quirks for the models whose id matches, applied over the provider's own. */
export interface ModelProfileRule {
  models: RegExp;
  unsupportedParams?: ParamRules;
  quirks?: Partial<OpenAiCompatibleQuirks>;
}

export interface OpenAiCompatibleProfile {
  id: OpenAiCompatibleProviderId;
  displayName: string;
  /** Base URL; the client appends `/chat/completions`. */
  baseUrl: string;
  docsUrl: string;
  auth: { header: 'authorization'; scheme: 'Bearer' };
  unsupportedParams: ParamRules;
  quirks: OpenAiCompatibleQuirks;
  modelRules?: readonly ModelProfileRule[];
}

export const BEARER_AUTH = { header: 'authorization', scheme: 'Bearer' } as const;

/**
 * Parameters only OpenAI's platform implements. Other providers either ignore them or fail on
 * them; hints are dropped, features that would change the answer are rejected.
 */
export const OPENAI_PLATFORM_ONLY_PARAMS: ParamRules = {
  store: { action: 'drop', reason: 'storing completions is an OpenAI platform feature' },
  metadata: { action: 'drop', reason: 'metadata tags OpenAI stored completions' },
  prompt_cache_key: { action: 'drop', reason: "a routing hint for OpenAI's prompt cache" },
  prompt_cache_retention: { action: 'drop', reason: "a retention hint for OpenAI's prompt cache" },
  prompt_cache_options: { action: 'drop', reason: "a hint for OpenAI's prompt cache" },
  safety_identifier: { action: 'drop', reason: "an identifier for OpenAI's abuse monitoring" },
  service_tier: { action: 'drop', reason: "OpenAI's processing tiers do not exist on this provider" },
  'stream_options.include_obfuscation': {
    action: 'drop',
    reason: "obfuscation padding is an OpenAI streaming feature",
  },
  audio: { action: 'reject', reason: 'audio output is an OpenAI feature' },
  modalities: { action: 'reject', reason: 'only text output is available', harmlessWhen: harmless.isTextOnly },
  prediction: { action: 'reject', reason: 'Predicted Outputs are an OpenAI feature' },
  web_search_options: { action: 'reject', reason: "OpenAI's built-in web search is not available" },
  verbosity: { action: 'reject', reason: 'output verbosity control is an OpenAI feature' },
  moderation: { action: 'reject', reason: 'moderation results are an OpenAI feature' },
};

/** A copy of `rules` without the named parameters (for providers that do support them). */
export function omitRules(rules: ParamRules, ...names: string[]): ParamRules {
  return Object.fromEntries(Object.entries(rules).filter(([name]) => !names.includes(name)));
}
