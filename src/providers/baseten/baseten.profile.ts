import { BEARER_AUTH, OPENAI_PLATFORM_ONLY_PARAMS, type OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';

/** Baseten Model APIs; a dedicated deployment is reached through a custom host instead. */
export const basetenProfile = {
  id: 'baseten',
  displayName: 'Baseten',
  baseUrl: 'https://inference.baseten.co/v1',
  docsUrl: 'https://docs.baseten.co/reference/inference-api/chat-completions',
  auth: BEARER_AUTH,
  unsupportedParams: { ...OPENAI_PLATFORM_ONLY_PARAMS },
  quirks: { streamUsage: 'stream_options' },
} as const satisfies OpenAiCompatibleProfile;
