import { BEARER_AUTH, OPENAI_PLATFORM_ONLY_PARAMS, type OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';

export const deepInfraProfile = {
  id: 'deepinfra',
  displayName: 'DeepInfra',
  baseUrl: 'https://api.deepinfra.com/v1/openai',
  docsUrl: 'https://deepinfra.com/docs/openai_api',
  auth: BEARER_AUTH,
  unsupportedParams: { ...OPENAI_PLATFORM_ONLY_PARAMS },
  quirks: { streamUsage: 'stream_options' },
} as const satisfies OpenAiCompatibleProfile;
