import { BEARER_AUTH, type OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';

export const openAiProfile = {
  id: 'openai',
  displayName: 'OpenAI',
  baseUrl: 'https://api.openai.com/v1',
  docsUrl: 'https://platform.openai.com/docs/api-reference/chat/create',
  auth: BEARER_AUTH,
  unsupportedParams: {
    top_k: { action: 'reject', reason: 'Chat Completions has no top-k sampling; https://platform.openai.com/docs/api-reference/chat/create' },
  },
  quirks: {
    // `max_tokens` is deprecated and rejected by o-series and gpt-5 models; `max_completion_tokens`
    // is accepted by every chat model. https://platform.openai.com/docs/api-reference/chat/create#chat-create-max_tokens
    maxTokensField: 'max_completion_tokens',
    streamUsage: 'stream_options',
  },
} as const satisfies OpenAiCompatibleProfile;
