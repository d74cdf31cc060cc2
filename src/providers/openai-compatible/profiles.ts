import { basetenProfile } from '../baseten/baseten.profile';
import { deepInfraProfile } from '../deepinfra/deepinfra.profile';
import { deepSeekProfile } from '../deepseek/deepseek.profile';
import { fireworksAiProfile } from '../fireworks-ai/fireworks-ai.profile';
import { groqProfile } from '../groq/groq.profile';
import { miniMaxProfile } from '../minimax/minimax.profile';
import { mistralProfile } from '../mistral/mistral.profile';
import { moonshotProfile } from '../moonshot/moonshot.profile';
import { nebiusProfile } from '../nebius/nebius.profile';
import { openAiProfile } from '../openai/openai.profile';
import { perplexityProfile } from '../perplexity/perplexity.profile';
import { togetherAiProfile } from '../together-ai/together-ai.profile';
import { xAiProfile } from '../xai/xai.profile';
import type { OpenAiCompatibleProfile, OpenAiCompatibleProviderId } from './openai-compatible.profile';

/** Every OpenAI-compatible provider by id. */
export const OPENAI_COMPATIBLE_PROFILES: Readonly<Record<OpenAiCompatibleProviderId, OpenAiCompatibleProfile>> = {
  openai: openAiProfile,
  groq: groqProfile,
  'together-ai': togetherAiProfile,
  'fireworks-ai': fireworksAiProfile,
  deepinfra: deepInfraProfile,
  baseten: basetenProfile,
  nebius: nebiusProfile,
  perplexity: perplexityProfile,
  xai: xAiProfile,
  moonshot: moonshotProfile,
  minimax: miniMaxProfile,
  mistral: mistralProfile,
  deepseek: deepSeekProfile,
};

export function isOpenAiCompatibleProviderId(value: string): value is OpenAiCompatibleProviderId {
  return Object.hasOwn(OPENAI_COMPATIBLE_PROFILES, value);
}

