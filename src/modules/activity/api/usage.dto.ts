import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional } from 'class-validator';
import { CREDENTIAL_SOURCES, type CredentialSource } from '../domain/activity';
import { USAGE_GROUP_BYS, type UsageGroupBy, type UsageSource } from '../domain/usage';

const ISO = { message: 'must be an ISO 8601 timestamp' };
const USAGE_SOURCES = ['byok', 'platform', 'mixed'] as const;

export class UsageQuery {
  @IsOptional()
  @IsDateString({ strict: true }, ISO)
  @ApiPropertyOptional({ description: 'Start of the range, inclusive. Default: 30 days before `to`. At most 366 days before `to`.', example: '2026-03-01T00:00:00.000Z' })
  from?: string;

  @IsOptional()
  @IsDateString({ strict: true }, ISO)
  @ApiPropertyOptional({ description: 'End of the range, exclusive. Default: now.', example: '2026-04-01T00:00:00.000Z' })
  to?: string;

  @IsOptional()
  @IsIn(USAGE_GROUP_BYS, { message: `must be one of: ${USAGE_GROUP_BYS.join(', ')}` })
  @ApiPropertyOptional({
    description:
      'Break the totals down into rows: `model` (provider and model served, or requested when nothing served it), `integration` (integration id and provider slug), `project`, `source` (credential source) or `day` (UTC). Without it, `rows` is empty.',
    enum: USAGE_GROUP_BYS,
    example: 'model',
  })
  groupBy?: UsageGroupBy;
}

export class UsageMetricsResponse {
  @ApiProperty({ description: 'Requests recorded.', example: 1250 })
  requests!: number;

  @ApiProperty({ description: 'Requests served with one of the organization’s own provider credentials (BYOK).', example: 1100 })
  byokRequests!: number;

  @ApiProperty({ description: 'Requests served with the gateway operator’s platform credential.', example: 120 })
  platformRequests!: number;

  @ApiProperty({ description: 'Requests that ended in an error (including those no credential could serve).', example: 25 })
  errorRequests!: number;

  @ApiProperty({ description: 'Requests the caller cancelled.', example: 5 })
  cancelledRequests!: number;

  @ApiProperty({ description: '`errorRequests / requests`, 4 decimals; 0 when there were no requests.', example: 0.02 })
  errorRate!: number;

  @ApiProperty({
    description: 'Estimated spend in USD of BYOK requests, from catalog or custom pricing (6 decimals). The provider bills it to your own account; its invoice is authoritative.',
    example: 4.213577,
  })
  byokSpendUsd!: number;

  @ApiProperty({ description: 'Spend in USD of requests served with the platform credential (6 decimals).', example: 0.3675 })
  platformSpendUsd!: number;

  @ApiProperty({ example: 1520000 })
  inputTokens!: number;

  @ApiProperty({ example: 384000 })
  outputTokens!: number;

  @ApiProperty({ description: 'Input tokens read from the provider’s prompt cache.', example: 420000 })
  cachedTokens!: number;

  @ApiProperty({ description: 'Input tokens written to the provider’s prompt cache.', example: 0 })
  cacheWriteTokens!: number;
}

/** One row of a breakdown: only the key fields of the chosen `groupBy` are present. */
export class UsageRowResponse extends UsageMetricsResponse {
  @ApiPropertyOptional({ description: '`groupBy=model`: the provider; null for requests never routed to one.', nullable: true, type: String, example: 'openai' })
  provider?: string | null;

  @ApiPropertyOptional({ description: '`groupBy=model`: the model the provider served, or the one requested when nothing served it.', example: 'gpt-4o-mini-2024-07-18' })
  model?: string;

  @ApiPropertyOptional({ description: '`groupBy=integration`: the BYOK integration; null for the platform credential and for requests no credential served.', nullable: true, type: String, format: 'uuid', example: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098' })
  integrationId?: string | null;

  @ApiPropertyOptional({ description: '`groupBy=integration`: the integration slug, or `platform:<provider>`; null for requests no credential served.', nullable: true, type: String, example: 'openai-main' })
  providerSlug?: string | null;

  @ApiPropertyOptional({ description: '`groupBy=project`.', format: 'uuid', example: '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' })
  projectId?: string;

  @ApiPropertyOptional({ description: '`groupBy=source`: the credential source; null for requests no credential served.', nullable: true, enum: CREDENTIAL_SOURCES, example: 'byok' })
  credentialSource?: CredentialSource | null;

  @ApiPropertyOptional({ description: '`groupBy=day`: the UTC day, `YYYY-MM-DD`.', format: 'date', example: '2026-03-14' })
  day?: string;

  @ApiProperty({
    description: 'How the row’s requests were served: `byok` or `platform` when every request that names a credential source names that one, `mixed` when both occur, null when none names one.',
    nullable: true,
    enum: USAGE_SOURCES,
    example: 'mixed',
  })
  source!: UsageSource;
}

export class UsageResponse {
  @ApiProperty({ description: 'Start of the range (inclusive).', example: '2026-03-01T00:00:00.000Z' })
  from!: string;

  @ApiProperty({ description: 'End of the range (exclusive).', example: '2026-04-01T00:00:00.000Z' })
  to!: string;

  @ApiProperty({ description: 'The breakdown asked for; null when none.', nullable: true, enum: USAGE_GROUP_BYS, example: 'model' })
  groupBy!: UsageGroupBy | null;

  @ApiProperty({ type: UsageMetricsResponse, description: 'Over every request of the range.' })
  totals!: UsageMetricsResponse;

  @ApiProperty({
    type: [UsageRowResponse],
    description: 'One row per group; empty without `groupBy`. By spend (desc), then requests (desc), then key; days in calendar order.',
  })
  rows!: UsageRowResponse[];
}
