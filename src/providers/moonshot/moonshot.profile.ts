import { BEARER_AUTH, OPENAI_PLATFORM_ONLY_PARAMS, type OpenAiCompatibleProfile } from '../openai-compatible/openai-compatible.profile';

const REFERENCE = 'https://platform.moonshot.ai/docs/api/chat';

/** Moonshot AI (Kimi). Usage of a stream sits in the last chunk's `choices[0].usage`. */
export const moonshotProfile = {
  id: 'moonshot',
  displayName: 'Moonshot AI',
  baseUrl: 'https://api.moonshot.ai/v1',
  docsUrl: REFERENCE,
  auth: BEARER_AUTH,
  unsupportedParams: {
    ...OPENAI_PLATFORM_ONLY_PARAMS,
    top_k: { action: 'reject', reason: `no top-k sampling; ${REFERENCE}` },
  },
  quirks: { streamUsage: 'always' },
} as const satisfies OpenAiCompatibleProfile;
