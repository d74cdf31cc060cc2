import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ACTIVITY_STATUSES, ActivityStatus, CREDENTIAL_SOURCES, CredentialSource } from '../domain/activity';

const ISO = { message: 'must be an ISO 8601 timestamp' };

export class ListActivityQuery {
  @IsOptional()
  @IsDateString({ strict: true }, ISO)
  @ApiPropertyOptional({ description: 'Only requests made at or after this time.', example: '2026-11-24T00:00:00.000Z' })
  from?: string;

  @IsOptional()
  @IsDateString({ strict: true }, ISO)
  @ApiPropertyOptional({ description: 'Only requests made before this time (exclusive).', example: '2026-11-25T00:00:00.000Z' })
  to?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @ApiPropertyOptional({ description: 'Only requests for this model, as requested or as served.', example: 'openai/gpt-4o-mini', maxLength: 300 })
  model?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @ApiPropertyOptional({ description: 'Only requests served by this integration slug, or `platform:<provider>`.', example: 'openai-main', maxLength: 200 })
  providerSlug?: string;

  @IsOptional()
  @IsIn(CREDENTIAL_SOURCES as CredentialSource[], { message: `must be one of: ${CREDENTIAL_SOURCES.join(', ')}` })
  @ApiPropertyOptional({ description: 'Only requests served with this kind of credential.', enum: CREDENTIAL_SOURCES, example: 'byok' })
  source?: CredentialSource;

  @IsOptional()
  @IsIn(ACTIVITY_STATUSES as ActivityStatus[], { message: `must be one of: ${ACTIVITY_STATUSES.join(', ')}` })
  @ApiPropertyOptional({ description: 'Only requests that ended this way.', enum: ACTIVITY_STATUSES, example: 'error' })
  status?: ActivityStatus;

  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  @ApiPropertyOptional({ description: 'Only requests made with this gateway API key.', format: 'uuid', example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' })
  apiKeyId?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @ApiPropertyOptional({ description: 'Only the request(s) with this `x-request-id` (callers may reuse one, so there can be several).', example: 'b9e3a1f0-6c2d-4e8a-9f17-3d5c2a1b0e94', maxLength: 128 })
  requestId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ description: 'Page size (default 50).', minimum: 1, maximum: 200, example: 50 })
  limit?: number;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.', example: 'eyJ0IjoiMjAyNi0xMS0yNVQxMDowMDowMC4wMDBaIiwiaSI6IjAxOTM...' })
  cursor?: string;
}

export class AttemptResponse {
  @ApiProperty({ description: 'The integration slug, or `platform:<provider>`.', example: 'openai-main' })
  providerSlug!: string;

  @ApiProperty({ enum: CREDENTIAL_SOURCES, example: 'byok' })
  credentialSource!: CredentialSource;

  @ApiProperty({ nullable: true, type: String, format: 'uuid', example: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098' })
  integrationId!: string | null;

  @ApiProperty({ description: '`ok`: this candidate answered; `failed`: it was tried and failed; `skipped`: not tried.', enum: ['ok', 'failed', 'skipped'], example: 'failed' })
  outcome!: 'ok' | 'failed' | 'skipped';

  @ApiProperty({ description: 'Why it failed or was skipped (redacted).', nullable: true, type: String, example: 'rate_limited' })
  reason!: string | null;

  @ApiProperty({ description: 'The upstream HTTP status, when there was one.', nullable: true, type: Number, example: 429 })
  status!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 180 })
  latencyMs!: number | null;
}

export class ActivityResponse {
  @ApiProperty({ description: 'The record id (`GET /api/activity/{activityId}`).', format: 'uuid', example: '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b' })
  id!: string;

  @ApiProperty({ description: 'The `x-request-id` the caller saw.', example: 'b9e3a1f0-6c2d-4e8a-9f17-3d5c2a1b0e94' })
  requestId!: string;

  @ApiProperty({ format: 'uuid', example: '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' })
  projectId!: string;

  @ApiProperty({ format: 'uuid', example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' })
  apiKeyId!: string;

  @ApiProperty({ description: 'The BYOK integration that served it; null for the platform credential or when nothing served it.', nullable: true, type: String, format: 'uuid', example: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098' })
  integrationId!: string | null;

  @ApiProperty({ description: 'Integration slug, or `platform:<provider>`; null when no candidate was found.', nullable: true, type: String, example: 'openai-main' })
  providerSlug!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'openai' })
  provider!: string | null;

  @ApiProperty({ nullable: true, enum: CREDENTIAL_SOURCES, example: 'byok' })
  credentialSource!: CredentialSource | null;

  @ApiProperty({ example: 'openai/gpt-4o-mini' })
  requestedModel!: string;

  @ApiProperty({ description: 'The model the provider reports it used.', nullable: true, type: String, example: 'gpt-4o-mini-2024-07-18' })
  servedModel!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  virtualModel!: string | null;

  @ApiProperty({ example: '/v1/chat/completions' })
  endpoint!: string;

  @ApiProperty({ example: false })
  stream!: boolean;

  @ApiProperty({ enum: ACTIVITY_STATUSES, example: 'success' })
  status!: ActivityStatus;

  @ApiProperty({ description: 'The status the caller got.', example: 200 })
  httpStatus!: number;

  @ApiProperty({ nullable: true, type: String, example: null })
  errorCode!: string | null;

  @ApiProperty({ description: 'Redacted.', nullable: true, type: String, example: null })
  errorMessage!: string | null;

  @ApiProperty({ example: 12 })
  inputTokens!: number;

  @ApiProperty({ example: 34 })
  outputTokens!: number;

  @ApiProperty({ example: 0 })
  cachedTokens!: number;

  @ApiProperty({ example: 0 })
  cacheWriteTokens!: number;

  @ApiProperty({ description: 'Estimated cost in US dollars (catalog or custom pricing); null when the price is unknown.', nullable: true, type: Number, example: 0.0000222 })
  costUsd!: number | null;

  @ApiProperty({ description: 'Total time in the gateway (ms).', example: 420 })
  latencyMs!: number;

  @ApiProperty({ description: 'Time to the first byte of a stream (ms).', nullable: true, type: Number, example: null })
  ttfbMs!: number | null;

  @ApiProperty({ description: 'How many candidates were tried or skipped (see the record for the list).', example: 1 })
  attemptCount!: number;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;
}

export class ActivityPageResponse {
  @ApiProperty({ type: [ActivityResponse], description: 'Newest first.' })
  items!: ActivityResponse[];

  @ApiProperty({ description: 'Pass as `cursor` for the next (older) page; null on the last page.', nullable: true, type: String, example: null })
  nextCursor!: string | null;
}

export class ActivityDetailResponse extends ActivityResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f3c7e-2a41-4c1b-9f0e-6d5a4b3c2d1e' })
  organizationId!: string;

  @ApiProperty({ type: [AttemptResponse], description: 'Each candidate in the order it was considered.' })
  attempts!: AttemptResponse[];
}
