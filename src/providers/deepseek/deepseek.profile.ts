import { harmless } from '../canonical/param-rules';
import {
  BEARER_AUTH,
  OPENAI_PLATFORM_ONLY_PARAMS,
  type OpenAiCompatibleProfile,
} from '../openai-compatible/openai-compatible.profile';

const REFERENCE = 'https://api-docs.deepseek.com/api/create-chat-completion';
const REASONER = 'https://api-docs.deepseek.com/guides/reasoning_model';

/** DeepSeek. Cache hits are reported as `usage.prompt_cache_hit_tokens`. */
export const deepSeekProfile = {
  id: 'deepseek',
  displayName: 'DeepSeek',
  baseUrl: 'https://api.deepseek.com/v1',
  docsUrl: REFERENCE,
  auth: BEARER_AUTH,
  unsupportedParams: {
    ...OPENAI_PLATFORM_ONLY_PARAMS,
    n: { action: 'reject', reason: `only one choice (n = 1) is generated; ${REFERENCE}`, harmlessWhen: harmless.isOne },
    top_k: { action: 'reject', reason: `no top-k sampling; ${REFERENCE}` },
  },
  quirks: { maxTokensField: 'max_tokens', streamUsage: 'stream_options' },
  modelRules: [
    {
      // "temperature, top_p, presence_penalty, frequency_penalty … will not trigger an error but
      // will also have no effect. Setting logprobs, top_logprobs will trigger an error."
      models: /^deepseek-reasoner/,
      unsupportedParams: {
        temperature: { action: 'drop', reason: `accepted but without effect on the reasoner; ${REASONER}` },
        top_p: { action: 'drop', reason: `accepted but without effect on the reasoner; ${REASONER}` },
        presence_penalty: { action: 'drop', reason: `accepted but without effect on the reasoner; ${REASONER}` },
        frequency_penalty: { action: 'drop', reason: `accepted but without effect on the reasoner; ${REASONER}` },
        logprobs: { action: 'reject', reason: `the reasoner refuses it; ${REASONER}`, harmlessWhen: harmless.isFalse },
        top_logprobs: { action: 'reject', reason: `the reasoner refuses it; ${REASONER}`, harmlessWhen: harmless.isZero },
      },
    },
  ],
} as const satisfies OpenAiCompatibleProfile;
