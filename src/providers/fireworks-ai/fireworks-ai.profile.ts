import { BEARER_AUTH, OPENAI_PLATFORM_ONLY_PARAMS, type OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';

export const fireworksAiProfile = {
  id: 'fireworks-ai',
  displayName: 'Fireworks AI',
  baseUrl: 'https://api.fireworks.ai/inference/v1',
  docsUrl: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility',
  auth: BEARER_AUTH,
  unsupportedParams: { ...OPENAI_PLATFORM_ONLY_PARAMS },
  quirks: {
    // "Streaming responses include usage in the final chunk."
    streamUsage: 'always',
    // When prompt + max_tokens exceed the context window Fireworks lowers max_tokens instead of
    // failing like OpenAI, unless told otherwise. https://docs.fireworks.ai/tools-sdks/migrate-to-fireworks
    defaults: { context_length_exceeded_behavior: 'error' },
  },
} as const satisfies OpenAiCompatibleProfile;
