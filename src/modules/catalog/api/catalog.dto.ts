import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  API_FAMILIES,
  ApiFamily,
  AUTH_SCHEMES,
  AuthScheme,
  CREDENTIAL_SHAPES,
  CredentialShape,
  MODALITIES,
  Modality,
  PROVIDER_IDS,
  ProviderId,
} from '../domain/catalog';

const CATALOG_VERSION = { description: 'Version of the shipped catalog data (`<pricing date>.<revision>`).', example: '2026-11-25.1' };

/** An optional query value from a fixed list; the message matches `@IsOneOf()`. */
const IsOptionalOneOf = <T extends string>(values: readonly T[], description: string, example: T) =>
  applyDecorators(
    IsOptional(),
    IsIn(values as T[], { message: `must be one of: ${values.join(', ')}` }),
    ApiPropertyOptional({ description, example, enum: values }),
  );

export class ListCatalogModelsQuery {
  @IsOptionalOneOf(PROVIDER_IDS, 'Only the models of this provider.', 'openai')
  provider?: ProviderId;

  @IsOptionalOneOf(MODALITIES, 'Only the models of this modality.', 'chat')
  modality?: Modality;
}

export class CatalogProviderResponse {
  @ApiProperty({ description: 'Provider id, used as the first part of model slugs.', enum: PROVIDER_IDS, example: 'openai' })
  id!: ProviderId;

  @ApiProperty({ description: 'Human-readable name.', example: 'OpenAI' })
  displayName!: string;

  @ApiProperty({ description: 'The wire API the gateway speaks to this provider.', enum: API_FAMILIES, example: 'openai' })
  apiFamily!: ApiFamily;

  @ApiProperty({ description: 'Which credential fields an integration of this provider takes.', enum: CREDENTIAL_SHAPES, example: 'api-key' })
  credentialShape!: CredentialShape;

  @ApiProperty({ description: 'How the credential is sent to the provider.', enum: AUTH_SCHEMES, example: 'bearer' })
  authScheme!: AuthScheme;

  @ApiProperty({
    description: 'Base URL used when the integration sets no custom host; `{region}`-style placeholders are filled from the credential.',
    example: 'https://api.openai.com/v1',
  })
  defaultBaseUrl!: string;

  @ApiProperty({ description: "The provider's model documentation.", example: 'https://platform.openai.com/docs/models' })
  docsUrl!: string;

  @ApiProperty({ description: 'How many catalog models this provider offers.', example: 27 })
  modelCount!: number;
}

export class CatalogProvidersResponse {
  @ApiProperty(CATALOG_VERSION)
  version!: string;

  @ApiProperty({ description: 'The day the prices were taken from the providers (YYYY-MM-DD).', format: 'date', example: '2026-11-25' })
  pricingDate!: string;

  @ApiProperty({ description: 'Every provider the gateway supports.', type: [CatalogProviderResponse] })
  providers!: CatalogProviderResponse[];
}

export class ModelCapabilitiesResponse {
  @ApiProperty({ description: 'Answers can be streamed.', example: true })
  streaming!: boolean;

  @ApiProperty({ description: 'Accepts tool (function) definitions.', example: true })
  tools!: boolean;

  @ApiProperty({ description: 'Accepts images as input.', example: true })
  vision!: boolean;
}

/** USD list prices; absent fields mean the model is not billed that way. */
export class ModelPricingResponse {
  @ApiProperty({ description: 'USD per 1M input tokens.', example: 0.15 })
  inputPerMTok!: number;

  @ApiProperty({ description: 'USD per 1M output tokens.', example: 0.6 })
  outputPerMTok!: number;

  @ApiPropertyOptional({ description: 'USD per 1M input tokens read from the prompt cache.', type: Number, example: 0.075 })
  cachedInputPerMTok?: number;

  @ApiPropertyOptional({ description: 'USD per 1M input tokens written to the prompt cache.', type: Number, example: 3.75 })
  cacheWritePerMTok?: number;

  @ApiPropertyOptional({ description: 'USD per generated image (image models).', type: Number, example: 0.04 })
  perImage?: number;

  @ApiPropertyOptional({ description: 'USD per second of generated video (video models).', type: Number, example: 0.4 })
  perSecond?: number;
}

export class CatalogModelResponse {
  @ApiProperty({ description: '`provider/model`; the model part may itself contain slashes.', example: 'openai/gpt-4o-mini' })
  slug!: string;

  @ApiProperty({ description: 'Provider id.', enum: PROVIDER_IDS, example: 'openai' })
  provider!: ProviderId;

  @ApiProperty({ description: "The model id the provider's API expects.", example: 'gpt-4o-mini' })
  model!: string;

  @ApiProperty({ description: 'Human-readable name.', example: 'GPT-4o mini' })
  displayName!: string;

  @ApiProperty({ description: 'What the model produces.', enum: MODALITIES, example: 'chat' })
  modality!: Modality;

  @ApiPropertyOptional({ description: 'Maximum tokens of input plus output.', type: Number, example: 128000 })
  contextWindow?: number;

  @ApiPropertyOptional({ description: 'Maximum tokens in one answer.', type: Number, example: 16384 })
  maxOutputTokens?: number;

  @ApiProperty({ type: ModelCapabilitiesResponse })
  capabilities!: ModelCapabilitiesResponse;

  @ApiProperty({ type: ModelPricingResponse })
  pricing!: ModelPricingResponse;

  @ApiPropertyOptional({ description: 'How the price applies, when it needs saying.', type: String, example: 'Standard quality, 1024x1024; larger or HD images cost more.' })
  notes?: string;
}

export class CatalogModelsResponse {
  @ApiProperty(CATALOG_VERSION)
  version!: string;

  @ApiProperty({ description: 'The matching models, in catalog order.', type: [CatalogModelResponse] })
  models!: CatalogModelResponse[];
}
