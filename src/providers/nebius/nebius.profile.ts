import { BEARER_AUTH, OPENAI_PLATFORM_ONLY_PARAMS, type OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';

/** Nebius Token Factory (formerly AI Studio, api.studio.nebius.com). */
export const nebiusProfile = {
  id: 'nebius',
  displayName: 'Nebius',
  baseUrl: 'https://api.tokenfactory.nebius.com/v1',
  docsUrl: 'https://docs.tokenfactory.nebius.com/api-reference/introduction',
  auth: BEARER_AUTH,
  unsupportedParams: { ...OPENAI_PLATFORM_ONLY_PARAMS },
  quirks: { streamUsage: 'stream_options' },
} as const satisfies OpenAiCompatibleProfile;
