import { harmless } from '../canonical/param-rules';
import {
  BEARER_AUTH,
  OPENAI_PLATFORM_ONLY_PARAMS,
  type OpenAiCompatibleProfile,
} from '../openai-compatible/openai-compatible.profile';

const REFERENCE = 'https://platform.minimax.io/docs/api-reference/text-openai-api';

/** MiniMax, international endpoint (mainland China: https://api.minimaxi.com/v1). */
export const miniMaxProfile = {
  id: 'minimax',
  displayName: 'MiniMax',
  baseUrl: 'https://api.minimax.io/v1',
  docsUrl: REFERENCE,
  auth: BEARER_AUTH,
  unsupportedParams: {
    ...OPENAI_PLATFORM_ONLY_PARAMS,
    n: { action: 'reject', reason: `only one choice (n = 1) is generated; ${REFERENCE}`, harmlessWhen: harmless.isOne },
    top_k: { action: 'reject', reason: `no top-k sampling; ${REFERENCE}` },
  },
  quirks: { streamUsage: 'stream_options' },
} as const satisfies OpenAiCompatibleProfile;
