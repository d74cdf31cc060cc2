import { harmless } from '../canonical/param-rules';
import {
  BEARER_AUTH,
  OPENAI_PLATFORM_ONLY_PARAMS,
  omitRules,
  type OpenAiCompatibleProfile,
} from '../openai-compatible/openai-compatible.profile';

const REFERENCE = 'https://docs.perplexity.ai/api-reference/chat-completions-post';

export const perplexityProfile = {
  id: 'perplexity',
  displayName: 'Perplexity',
  // No `/v1`: the endpoint is https://api.perplexity.ai/chat/completions.
  baseUrl: 'https://api.perplexity.ai',
  docsUrl: REFERENCE,
  auth: BEARER_AUTH,
  unsupportedParams: {
    // Perplexity takes `web_search_options` (search_context_size, user_location) itself.
    ...omitRules(OPENAI_PLATFORM_ONLY_PARAMS, 'web_search_options'),
    tools: { action: 'reject', reason: `Sonar models have no function calling; ${REFERENCE}` },
    tool_choice: { action: 'reject', reason: `Sonar models have no function calling; ${REFERENCE}`, harmlessWhen: (v) => v === 'none' || v === 'auto' },
    parallel_tool_calls: { action: 'drop', reason: `without tools there are no parallel tool calls; ${REFERENCE}` },
    functions: { action: 'reject', reason: `Sonar models have no function calling; ${REFERENCE}` },
    function_call: { action: 'reject', reason: `Sonar models have no function calling; ${REFERENCE}` },
    n: { action: 'reject', reason: `only one choice (n = 1) is generated; ${REFERENCE}`, harmlessWhen: harmless.isOne },
    logprobs: { action: 'reject', reason: `log probabilities are unavailable; ${REFERENCE}`, harmlessWhen: harmless.isFalse },
    top_logprobs: { action: 'reject', reason: `log probabilities are unavailable; ${REFERENCE}`, harmlessWhen: harmless.isZero },
    logit_bias: { action: 'reject', reason: `logit bias is unavailable; ${REFERENCE}`, harmlessWhen: harmless.isEmptyObject },
    stop: { action: 'reject', reason: `stop sequences are not a Sonar parameter; ${REFERENCE}` },
    seed: { action: 'drop', reason: `sampling seeds are not a Sonar parameter and are best-effort everywhere; ${REFERENCE}` },
  },
  // Usage (with citation and search counts) arrives on the last chunk unasked.
  quirks: { streamUsage: 'always' },
} as const satisfies OpenAiCompatibleProfile;
