import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { MAX_RETRY_ATTEMPTS, MAX_TIMEOUT_MS, MIN_RETRY_ATTEMPTS, MIN_TIMEOUT_MS, RETRYABLE_STATUSES } from '../domain/gateway-config';
import { MAX_TARGETS, MAX_WEIGHT, MIN_TARGETS, MIN_WEIGHT, POLICY_NAME, POLICY_NAME_RULE, ROUTING_STRATEGIES, RoutingStrategy, TARGET_SLUG, TARGET_SLUG_RULE } from '../domain/route-target';
import { MAX_DESCRIPTION_LENGTH } from '../domain/virtual-model';

/** Optional but, when sent, not null. */
const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

const NAME_EXAMPLE = 'smart';
const CONFIG_EXAMPLE = 'resilient';

export class RouteTargetDto {
  @IsString()
  @Matches(TARGET_SLUG, { message: TARGET_SLUG_RULE })
  @ApiProperty({
    description: 'An integration of the organization in scope of the project (its `providerSlug`), or `platform:<provider>` for the operator’s platform credential.',
    example: 'anthropic-prod',
  })
  providerSlug!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @ApiProperty({
    description: 'A catalog model of that integration’s provider (`provider/model` or the provider’s own id) or one of the integration’s custom models.',
    example: 'anthropic/claude-sonnet-4-5',
  })
  model!: string;

  @IsOptional()
  @IsInt()
  @Min(MIN_WEIGHT)
  @Max(MAX_WEIGHT)
  @ApiPropertyOptional({ description: 'Relative share of traffic under `loadbalance` (default 1).', example: 3, minimum: MIN_WEIGHT, maximum: MAX_WEIGHT })
  weight?: number;
}

export class RouteTargetResponse {
  @ApiProperty({ description: 'Integration slug or `platform:<provider>`.', example: 'anthropic-prod' })
  providerSlug!: string;

  @ApiProperty({ example: 'anthropic/claude-sonnet-4-5' })
  model!: string;

  @ApiProperty({ example: 1 })
  weight!: number;
}

export class CreateVirtualModelDto {
  @IsString()
  @Matches(POLICY_NAME, { message: POLICY_NAME_RULE })
  @ApiProperty({ description: 'The model name clients send; unique in the project.', example: NAME_EXAMPLE, pattern: POLICY_NAME.source })
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  @ApiPropertyOptional({ type: String, nullable: true, description: 'What it is for.', example: 'Best model we can afford, with a fallback' })
  description?: string | null;

  @IsArray()
  @ArrayMinSize(MIN_TARGETS)
  @ArrayMaxSize(MAX_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => RouteTargetDto)
  @ApiProperty({ type: [RouteTargetDto], minItems: MIN_TARGETS, maxItems: MAX_TARGETS, description: `Where requests for it go, ${MIN_TARGETS}–${MAX_TARGETS} targets.`, example: [{ providerSlug: 'anthropic-prod', model: 'anthropic/claude-sonnet-4-5', weight: 3 }, { providerSlug: 'openai-main', model: 'gpt-4o' }] })
  targets!: RouteTargetDto[];

  @IsOptional()
  @IsString()
  @Matches(POLICY_NAME, { message: POLICY_NAME_RULE })
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Name of a gateway config of the project that orders and retries the targets (default: weighted load balancing, default retries).', example: CONFIG_EXAMPLE })
  config?: string | null;
}

export class UpdateVirtualModelDto {
  @IsOmittable()
  @IsString()
  @Matches(POLICY_NAME, { message: POLICY_NAME_RULE })
  @ApiPropertyOptional({ description: 'The model name clients send; unique in the project.', example: NAME_EXAMPLE, pattern: POLICY_NAME.source })
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  @ApiPropertyOptional({ type: String, nullable: true, description: '`null` clears it.', example: 'Best model we can afford, with a fallback' })
  description?: string | null;

  @IsOmittable()
  @IsArray()
  @ArrayMinSize(MIN_TARGETS)
  @ArrayMaxSize(MAX_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => RouteTargetDto)
  @ApiPropertyOptional({ type: [RouteTargetDto], minItems: MIN_TARGETS, maxItems: MAX_TARGETS, description: 'Replaces every target.', example: [{ providerSlug: 'openai-main', model: 'gpt-4o' }] })
  targets?: RouteTargetDto[];

  @IsOptional()
  @IsString()
  @Matches(POLICY_NAME, { message: POLICY_NAME_RULE })
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Name of a gateway config of the project; `null` removes it.', example: CONFIG_EXAMPLE })
  config?: string | null;
}

export class VirtualModelResponse {
  @ApiProperty({ format: 'uuid', example: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' })
  projectId!: string;

  @ApiProperty({ example: NAME_EXAMPLE })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Best model we can afford, with a fallback' })
  description!: string | null;

  @ApiProperty({ type: [RouteTargetResponse] })
  targets!: RouteTargetResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Name of its gateway config.', example: CONFIG_EXAMPLE })
  config!: string | null;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  updatedAt!: string;
}

export class RetryPolicyDto {
  @IsInt()
  @Min(MIN_RETRY_ATTEMPTS)
  @Max(MAX_RETRY_ATTEMPTS)
  @ApiProperty({
    description: 'Upstream calls at most per request, the first included; candidates are walked in order, starting over when there are fewer of them.',
    example: 3,
    minimum: MIN_RETRY_ATTEMPTS,
    maximum: MAX_RETRY_ATTEMPTS,
  })
  attempts!: number;

  @IsArray()
  @ArrayUnique()
  @IsIn([...RETRYABLE_STATUSES], { each: true, message: `must hold only ${RETRYABLE_STATUSES.join(', ')}` })
  @ApiProperty({
    description: 'Upstream statuses that move on to the next call (a connect error counts as 502, a timeout as 504). Any other failure is answered at once; a rejected credential always moves on.',
    type: [Number],
    example: [429, 500, 502, 503, 504],
    items: { type: 'integer', enum: [...RETRYABLE_STATUSES] },
  })
  onStatus!: number[];
}

export class CreateGatewayConfigDto {
  @IsString()
  @Matches(POLICY_NAME, { message: POLICY_NAME_RULE })
  @ApiProperty({ description: 'Unique in the project; what `x-keyway-config` and a virtual model’s `config` name.', example: CONFIG_EXAMPLE, pattern: POLICY_NAME.source })
  name!: string;

  @IsIn(ROUTING_STRATEGIES, { message: `must be one of: ${ROUTING_STRATEGIES.join(', ')}` })
  @ApiProperty({ enum: ROUTING_STRATEGIES, description: '`fallback`: targets in listed order; `loadbalance`: weighted random, the others as fallbacks.', example: 'fallback' })
  strategy!: RoutingStrategy;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(MIN_TARGETS)
  @ArrayMaxSize(MAX_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => RouteTargetDto)
  @ApiPropertyOptional({
    type: [RouteTargetDto], minItems: MIN_TARGETS, maxItems: MAX_TARGETS,
    nullable: true,
    description: 'When the config is applied by header to a model that is not a virtual model, these targets replace candidate discovery.',
    example: [{ providerSlug: 'openai-main', model: 'gpt-4o-mini' }, { providerSlug: 'platform:openai', model: 'gpt-4o-mini' }],
  })
  targets?: RouteTargetDto[] | null;

  @IsObject()
  @ValidateNested()
  @Type(() => RetryPolicyDto)
  @ApiProperty({ type: RetryPolicyDto })
  retry!: RetryPolicyDto;

  @IsInt()
  @Min(MIN_TIMEOUT_MS)
  @Max(MAX_TIMEOUT_MS)
  @ApiProperty({ description: 'Upstream timeout per attempt in milliseconds (response headers, and between stream chunks).', example: 30000, minimum: MIN_TIMEOUT_MS, maximum: MAX_TIMEOUT_MS })
  timeoutMs!: number;
}

export class UpdateGatewayConfigDto {
  @IsOmittable()
  @IsString()
  @Matches(POLICY_NAME, { message: POLICY_NAME_RULE })
  @ApiPropertyOptional({ description: 'Virtual models that use the config follow a rename.', example: CONFIG_EXAMPLE, pattern: POLICY_NAME.source })
  name?: string;

  @IsOmittable()
  @IsIn(ROUTING_STRATEGIES, { message: `must be one of: ${ROUTING_STRATEGIES.join(', ')}` })
  @ApiPropertyOptional({ enum: ROUTING_STRATEGIES, example: 'loadbalance' })
  strategy?: RoutingStrategy;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(MIN_TARGETS)
  @ArrayMaxSize(MAX_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => RouteTargetDto)
  @ApiPropertyOptional({ type: [RouteTargetDto], minItems: MIN_TARGETS, maxItems: MAX_TARGETS, nullable: true, description: 'Replaces every target; `null` removes them.', example: [{ providerSlug: 'openai-main', model: 'gpt-4o-mini' }] })
  targets?: RouteTargetDto[] | null;

  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RetryPolicyDto)
  @ApiPropertyOptional({ type: RetryPolicyDto, description: 'Replaces the retry rules.' })
  retry?: RetryPolicyDto;

  @IsOmittable()
  @IsInt()
  @Min(MIN_TIMEOUT_MS)
  @Max(MAX_TIMEOUT_MS)
  @ApiPropertyOptional({ example: 30000, minimum: MIN_TIMEOUT_MS, maximum: MAX_TIMEOUT_MS })
  timeoutMs?: number;
}

export class RetryPolicyResponse {
  @ApiProperty({ example: 3 })
  attempts!: number;

  @ApiProperty({ type: [Number], example: [429, 500, 502, 503, 504] })
  onStatus!: number[];
}

export class GatewayConfigResponse {
  @ApiProperty({ format: 'uuid', example: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' })
  projectId!: string;

  @ApiProperty({ example: CONFIG_EXAMPLE })
  name!: string;

  @ApiProperty({ enum: ROUTING_STRATEGIES, example: 'fallback' })
  strategy!: RoutingStrategy;

  @ApiProperty({ type: [RouteTargetResponse], nullable: true, example: null })
  targets!: RouteTargetResponse[] | null;

  @ApiProperty({ type: RetryPolicyResponse })
  retry!: RetryPolicyResponse;

  @ApiProperty({ example: 30000 })
  timeoutMs!: number;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  updatedAt!: string;
}
