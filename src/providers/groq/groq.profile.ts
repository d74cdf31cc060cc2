import { harmless } from '../canonical/param-rules';
import {
  BEARER_AUTH,
  OPENAI_PLATFORM_ONLY_PARAMS,
  omitRules,
  type OpenAiCompatibleProfile,
} from '../openai-compatible/openai-compatible.profile';

const COMPAT = 'https://console.groq.com/docs/openai';

export const groqProfile = {
  id: 'groq',
  displayName: 'Groq',
  baseUrl: 'https://api.groq.com/openai/v1',
  docsUrl: COMPAT,
  auth: BEARER_AUTH,
  unsupportedParams: {
    // Groq has its own `service_tier` (on_demand, flex, auto).
    ...omitRules(OPENAI_PLATFORM_ONLY_PARAMS, 'service_tier'),
    // "The following fields are currently not supported and will result in a 400 error".
    logprobs: { action: 'reject', reason: `log probabilities are unavailable; ${COMPAT}`, harmlessWhen: harmless.isFalse },
    top_logprobs: { action: 'reject', reason: `log probabilities are unavailable; ${COMPAT}`, harmlessWhen: harmless.isZero },
    logit_bias: { action: 'reject', reason: `logit bias is unavailable; ${COMPAT}`, harmlessWhen: harmless.isEmptyObject },
    n: { action: 'reject', reason: `only one choice (n = 1) is generated; ${COMPAT}`, harmlessWhen: harmless.isOne },
    'messages[].name': { action: 'drop', reason: `participant names are refused with a 400; ${COMPAT}` },
    top_k: { action: 'reject', reason: 'no top-k sampling; https://console.groq.com/docs/api-reference#chat-create' },
  },
  quirks: {
    // Usage also arrives unasked in `x_groq.usage` on the last chunk.
    streamUsage: 'stream_options',
  },
} as const satisfies OpenAiCompatibleProfile;
