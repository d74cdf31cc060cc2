import { BEARER_AUTH, OPENAI_PLATFORM_ONLY_PARAMS, type OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';

export const togetherAiProfile = {
  id: 'together-ai',
  displayName: 'Together AI',
  baseUrl: 'https://api.together.xyz/v1',
  // Accepts top_k, min_p and repetition_penalty beside the OpenAI parameters.
  docsUrl: 'https://docs.together.ai/reference/chat-completions-1',
  auth: BEARER_AUTH,
  unsupportedParams: { ...OPENAI_PLATFORM_ONLY_PARAMS },
  quirks: { streamUsage: 'stream_options' },
} as const satisfies OpenAiCompatibleProfile;
