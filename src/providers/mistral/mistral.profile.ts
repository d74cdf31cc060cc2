import { harmless } from '../canonical/param-rules';
import {
  BEARER_AUTH,
  OPENAI_PLATFORM_ONLY_PARAMS,
  type OpenAiCompatibleProfile,
} from '../openai-compatible/openai-compatible.profile';

const REFERENCE = 'https://docs.mistral.ai/api/#tag/chat/operation/chat_completion_v1_chat_completions_post';

/**
 * Mistral validates bodies strictly: an unknown field fails with 422 "extra_forbidden", so
 * OpenAI-only fields must be removed rather than left for the provider to ignore.
 */
export const mistralProfile = {
  id: 'mistral',
  displayName: 'Mistral AI',
  baseUrl: 'https://api.mistral.ai/v1',
  docsUrl: REFERENCE,
  auth: BEARER_AUTH,
  unsupportedParams: {
    ...OPENAI_PLATFORM_ONLY_PARAMS,
    user: { action: 'drop', reason: `end-user identifiers are not a Mistral parameter; ${REFERENCE}` },
    stream_options: { action: 'drop', reason: `streams report usage on their last chunk unasked; ${REFERENCE}` },
    logit_bias: { action: 'reject', reason: `logit bias is unavailable; ${REFERENCE}`, harmlessWhen: harmless.isEmptyObject },
    logprobs: { action: 'reject', reason: `log probabilities are unavailable; ${REFERENCE}`, harmlessWhen: harmless.isFalse },
    top_logprobs: { action: 'reject', reason: `log probabilities are unavailable; ${REFERENCE}`, harmlessWhen: harmless.isZero },
    top_k: { action: 'reject', reason: `no top-k sampling; ${REFERENCE}` },
    'messages[].reasoning_content': {
      action: 'drop',
      reason: `earlier turns' reasoning is refused with 422 extra_forbidden; ${REFERENCE}`,
    },
  },
  quirks: {
    // `max_completion_tokens` fails with 422 extra_forbidden.
    maxTokensField: 'max_tokens',
    streamUsage: 'always',
    renamedParams: { seed: 'random_seed' },
  },
} as const satisfies OpenAiCompatibleProfile;
