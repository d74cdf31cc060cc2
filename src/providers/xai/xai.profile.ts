import { BEARER_AUTH, OPENAI_PLATFORM_ONLY_PARAMS, type OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';

const REASONING = 'https://docs.x.ai/docs/guides/reasoning';

export const xAiProfile = {
  id: 'xai',
  displayName: 'xAI',
  baseUrl: 'https://api.x.ai/v1',
  docsUrl: 'https://docs.x.ai/docs/api-reference#chat-completions',
  auth: BEARER_AUTH,
  unsupportedParams: {
    ...OPENAI_PLATFORM_ONLY_PARAMS,
    top_k: { action: 'reject', reason: 'no top-k sampling; https://docs.x.ai/docs/api-reference#chat-completions' },
  },
  quirks: {
    // Grok 4 models want the output cap under its current name.
    maxTokensField: 'max_completion_tokens',
    streamUsage: 'stream_options',
  },
  modelRules: [
    {
      // "presencePenalty, frequencyPenalty and stop parameters are not supported by reasoning
      // models. Adding them in the request would result in an error."
      models: /^grok-(?:3-mini|code|4(?!.*non-reasoning))/,
      unsupportedParams: {
        presence_penalty: { action: 'reject', reason: `reasoning models refuse it; ${REASONING}`, harmlessWhen: (v) => v === 0 },
        frequency_penalty: { action: 'reject', reason: `reasoning models refuse it; ${REASONING}`, harmlessWhen: (v) => v === 0 },
        stop: { action: 'reject', reason: `reasoning models refuse it; ${REASONING}` },
      },
    },
    {
      // "reasoning_effort is not supported by grok-3, grok-4 and grok-4-fast-reasoning.
      // Specifying reasoning_effort parameter will get an error response."
      models: /^grok-(?!3-mini|4\.3)/,
      unsupportedParams: {
        reasoning_effort: { action: 'reject', reason: `this model has no reasoning-effort setting; ${REASONING}` },
      },
    },
  ],
} as const satisfies OpenAiCompatibleProfile;
