import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBoolean, IsDefined, IsNumber, IsOptional, IsString, Matches, MaxLength, Min, ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { MODALITIES, Modality } from '../../catalog/domain/catalog';
import { CUSTOM_MODEL_SLUG, CUSTOM_MODEL_SLUG_RULE, MAX_ADDITIONAL_PRICES, additionalPricingProblems } from '../domain/custom-model';

const MAX_TOGGLES = 1000;
const CHANGE_FIELDS = ['all', 'none', 'models'] as const;
type ChangeField = (typeof CHANGE_FIELDS)[number];

/** `all`, `none` and `models` exclude each other: the property may not be sent with the others. */
const IsAloneAmong = (field: ChangeField) =>
  ValidateBy({
    name: 'isAloneAmong',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => othersSent(field, args?.object).length === 0,
      defaultMessage: (args?: ValidationArguments) => `cannot be combined with ${othersSent(field, args?.object).join(' or ')}; send exactly one of all, none or models`,
    },
  });

function othersSent(field: ChangeField, body: object | undefined): ChangeField[] {
  const sent = (body ?? {}) as Partial<Record<ChangeField, unknown>>;
  return CHANGE_FIELDS.filter((other) => other !== field && sent[other] !== undefined && sent[other] !== null);
}

/** An object of catalog model slug → boolean, with at least one and at most 1000 entries. */
const IsToggleMap = () =>
  ValidateBy({
    name: 'isToggleMap',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        const toggles = Object.values(value);
        return toggles.length > 0 && toggles.length <= MAX_TOGGLES && toggles.every((on) => typeof on === 'boolean');
      },
      defaultMessage: () => `must be an object of 1–${MAX_TOGGLES} catalog model slugs → true (enabled) or false (disabled)`,
    },
  });

const IsAdditionalPricing = () =>
  ValidateBy({
    name: 'isAdditionalPricing',
    validator: {
      validate: (value: unknown) => value === null || additionalPricingProblems(value).length === 0,
      defaultMessage: (args?: ValidationArguments) =>
        additionalPricingProblems(args?.value)
          .map((problem) => (problem.field === 'additionalPricing' ? problem.message : `${problem.field.slice('additionalPricing.'.length)} ${problem.message}`))
          .join('; '),
    },
  });

/** Optional but, when sent, not null. */
const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

export class ChangeProvisioningDto {
  @IsOptional()
  @Equals(true, { message: 'must be true; send {"none": true} to disable every model' })
  @IsAloneAmong('all')
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'Must be true: enables every catalog model of the provider and turns autoEnable on.' })
  all?: true;

  @IsOptional()
  @Equals(true, { message: 'must be true; send {"all": true} to enable every model' })
  @IsAloneAmong('none')
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'Must be true: disables every catalog model of the provider and turns autoEnable off.' })
  none?: true;

  @ValidateIf((body: ChangeProvisioningDto) => body.models !== undefined || (isAbsent(body.all) && isAbsent(body.none)))
  @IsDefined({ message: 'is required unless all or none is sent; send exactly one of all, none or models' })
  @IsToggleMap()
  @IsAloneAmong('models')
  @ApiPropertyOptional({
    description: 'Per-model toggles, keyed by catalog slug; models not named keep their state.',
    type: 'object',
    additionalProperties: { type: 'boolean' },
    example: { 'openai/gpt-4o': true, 'openai/o3-pro': false },
  })
  models?: Record<string, boolean>;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ example: true, description: 'Whether catalog models added later are enabled; applied after the change.' })
  autoEnable?: boolean;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

export class ProvisionedModelPricingResponse {
  @ApiProperty({ description: 'USD per 1M input tokens.', example: 2.5 })
  inputPerMTok!: number;

  @ApiProperty({ description: 'USD per 1M output tokens.', example: 10 })
  outputPerMTok!: number;

  @ApiPropertyOptional({ description: 'USD per 1M input tokens read from the prompt cache.', type: Number, example: 1.25 })
  cachedInputPerMTok?: number;

  @ApiPropertyOptional({ description: 'USD per 1M input tokens written to the prompt cache.', type: Number, example: 3.75 })
  cacheWritePerMTok?: number;

  @ApiPropertyOptional({ description: 'USD per generated image (image models).', type: Number, example: 0.04 })
  perImage?: number;

  @ApiPropertyOptional({ description: 'USD per second of generated video (video models).', type: Number, example: 0.4 })
  perSecond?: number;
}

export class ProvisionedModelResponse {
  @ApiProperty({ description: 'Catalog slug, `provider/model`.', example: 'openai/gpt-4o' })
  slug!: string;

  @ApiProperty({ description: "The model id the provider's API expects.", example: 'gpt-4o' })
  model!: string;

  @ApiProperty({ example: 'GPT-4o' })
  displayName!: string;

  @ApiProperty({ enum: MODALITIES, example: 'chat' })
  modality!: Modality;

  @ApiProperty({ description: 'Routable through this integration.', example: true })
  enabled!: boolean;

  @ApiProperty({ type: ProvisionedModelPricingResponse })
  pricing!: ProvisionedModelPricingResponse;
}

export class CustomModelResponse {
  @ApiProperty({ format: 'uuid', example: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098' })
  integrationId!: string;

  @ApiProperty({ description: 'The model name clients send; unique within the integration.', example: 'ft:gpt-4o-mini:acme:support-v2' })
  modelSlug!: string;

  @ApiProperty({ nullable: true, type: String, description: 'Catalog model whose request and response schema it follows.', example: 'openai/gpt-4o-mini' })
  baseModel!: string | null;

  @ApiProperty({ nullable: true, type: String, description: "Endpoint for this model instead of the integration's.", example: null })
  customHost!: string | null;

  @ApiProperty({ description: 'USD per 1M input tokens.', example: 0.3 })
  inputPricePerMTok!: number;

  @ApiProperty({ description: 'USD per 1M output tokens.', example: 1.2 })
  outputPricePerMTok!: number;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Extra USD prices per 1M tokens by token category.',
    example: { cache_read_input_tokens: 0.15 },
  })
  additionalPricing!: Record<string, number> | null;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  updatedAt!: string;
}

export class ProvisioningResponse {
  @ApiProperty({ description: 'Whether catalog models without a toggle of their own (such as models added later) are enabled.', example: true })
  autoEnable!: boolean;

  @ApiProperty({ description: "Every catalog model of the integration's provider, in catalog order.", type: [ProvisionedModelResponse] })
  models!: ProvisionedModelResponse[];

  @ApiProperty({ description: 'The custom models of the integration (always routable).', type: [CustomModelResponse] })
  customModels!: CustomModelResponse[];
}

const MODEL_SLUG_DOC = {
  description: `The model name clients send; unique within the integration, one URL path segment (${CUSTOM_MODEL_SLUG_RULE}).`,
  pattern: CUSTOM_MODEL_SLUG.source,
  example: 'ft:gpt-4o-mini:acme:support-v2',
};
const BASE_MODEL_DOC = {
  nullable: true,
  type: String,
  description: "A catalog model slug whose API this integration speaks (its provider's, or its custom host's format); the custom model follows its request and response schema.",
  example: 'openai/gpt-4o-mini',
};
const CUSTOM_HOST_DOC = {
  nullable: true,
  type: String,
  description: "Base URL for this model instead of the integration's. Private and loopback addresses are refused unless KEYWAY_ALLOW_PRIVATE_HOSTS=true.",
  example: 'https://finetunes.example.com/v1',
};
const INPUT_PRICE_DOC = { description: 'USD per 1M input tokens.', minimum: 0, example: 0.3 };
const OUTPUT_PRICE_DOC = { description: 'USD per 1M output tokens.', minimum: 0, example: 1.2 };
const ADDITIONAL_PRICING_DOC = {
  nullable: true,
  type: 'object' as const,
  additionalProperties: { type: 'number', minimum: 0 },
  maxProperties: MAX_ADDITIONAL_PRICES,
  description: `Extra USD prices per 1M tokens by token category (\`^[a-z0-9_]{1,64}$\`, at most ${MAX_ADDITIONAL_PRICES}); \`cache_read_input_tokens\` and \`cache_creation_input_tokens\` price prompt-cache reads and writes.`,
  example: { cache_read_input_tokens: 0.15 },
};
const PRICE = { allowNaN: false, allowInfinity: false };
const PRICE_MESSAGE = { message: 'must be a number of USD per 1M tokens, 0 or more' };

export class CreateCustomModelDto {
  @IsString()
  @Matches(CUSTOM_MODEL_SLUG, { message: CUSTOM_MODEL_SLUG_RULE })
  @ApiProperty(MODEL_SLUG_DOC)
  modelSlug!: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @ApiPropertyOptional(BASE_MODEL_DOC)
  baseModel?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @ApiPropertyOptional(CUSTOM_HOST_DOC)
  customHost?: string | null;

  @IsNumber(PRICE, PRICE_MESSAGE)
  @Min(0, PRICE_MESSAGE)
  @ApiProperty(INPUT_PRICE_DOC)
  inputPricePerMTok!: number;

  @IsNumber(PRICE, PRICE_MESSAGE)
  @Min(0, PRICE_MESSAGE)
  @ApiProperty(OUTPUT_PRICE_DOC)
  outputPricePerMTok!: number;

  @IsOptional()
  @IsAdditionalPricing()
  @ApiPropertyOptional(ADDITIONAL_PRICING_DOC)
  additionalPricing?: Record<string, number> | null;
}

/** Every field optional; `null` clears baseModel, customHost and additionalPricing. */
export class UpdateCustomModelDto {
  @IsOmittable()
  @IsString()
  @Matches(CUSTOM_MODEL_SLUG, { message: CUSTOM_MODEL_SLUG_RULE })
  @ApiPropertyOptional({ ...MODEL_SLUG_DOC, description: `Renames the custom model. ${MODEL_SLUG_DOC.description}` })
  modelSlug?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @ApiPropertyOptional(BASE_MODEL_DOC)
  baseModel?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @ApiPropertyOptional(CUSTOM_HOST_DOC)
  customHost?: string | null;

  @IsOmittable()
  @IsNumber(PRICE, PRICE_MESSAGE)
  @Min(0, PRICE_MESSAGE)
  @ApiPropertyOptional(INPUT_PRICE_DOC)
  inputPricePerMTok?: number;

  @IsOmittable()
  @IsNumber(PRICE, PRICE_MESSAGE)
  @Min(0, PRICE_MESSAGE)
  @ApiPropertyOptional(OUTPUT_PRICE_DOC)
  outputPricePerMTok?: number;

  @IsOptional()
  @IsAdditionalPricing()
  @ApiPropertyOptional(ADDITIONAL_PRICING_DOC)
  additionalPricing?: Record<string, number> | null;
}
