import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { API_FORMATS, ApiFormat, IntegrationStatus, ProjectScope } from '../domain/integration';

/** `"all"` or a list of project UUIDs. */
const IsProjectScope = () =>
  ValidateBy({
    name: 'isProjectScope',
    validator: {
      validate: (value: unknown) =>
        value === 'all' ||
        (Array.isArray(value) && value.length <= 500 && value.every((v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v))),
      defaultMessage: () => 'must be "all" or a list of project ids',
    },
  });

const IsHeaderMap = () =>
  ValidateBy({
    name: 'isHeaderMap',
    validator: {
      validate: (value: unknown) => value === null || (typeof value === 'object' && !Array.isArray(value) && Object.values(value as object).every((v) => typeof v === 'string')),
      defaultMessage: () => 'must be an object of header name → string value, or null',
    },
  });

export class ApiKeyCredentialDoc {
  @ApiProperty({ description: 'The provider API key.', example: 'sk-ant-api03-EXAMPLE-PLACEHOLDER-NOT-A-REAL-KEY' })
  apiKey!: string;
}

export class VertexCredentialDoc {
  @ApiProperty({
    description: 'The service-account key file, as a JSON string or object (`type: service_account`, `client_email`, `private_key` PEM).',
    example: '{"type":"service_account","project_id":"my-project","private_key_id":"0123456789abcdef","private_key":"-----BEGIN PRIVATE KEY-----\\n…placeholder…\\n-----END PRIVATE KEY-----\\n","client_email":"keyway@my-project.iam.gserviceaccount.com"}',
  })
  serviceAccountJson!: string;

  @ApiProperty({ example: 'us-central1' })
  region!: string;

  @ApiPropertyOptional({ description: "Defaults to the service account's project.", example: 'my-project' })
  projectId?: string;
}

export class AzureDeploymentDoc {
  @ApiProperty({ description: 'The model name clients send.', example: 'gpt-4o' })
  modelSlug!: string;

  @ApiPropertyOptional({ example: 'gpt4o-prod' })
  deploymentName?: string;

  @ApiPropertyOptional({ description: 'Full endpoint URL instead of a deployment name.', example: 'https://my-resource.openai.azure.com/openai/deployments/gpt4o-prod' })
  endpointUrl?: string;

  @ApiPropertyOptional({ description: 'A different key for this deployment.', example: 'azure-key-EXAMPLE-PLACEHOLDER' })
  apiKey?: string;
}

export class AzureCredentialDoc {
  @ApiProperty({ example: 'azure-key-EXAMPLE-PLACEHOLDER' })
  apiKey!: string;

  @ApiProperty({ example: 'my-resource' })
  resourceName!: string;

  @ApiPropertyOptional({ example: '2024-10-21' })
  apiVersion?: string;

  @ApiProperty({ type: [AzureDeploymentDoc] })
  deployments!: AzureDeploymentDoc[];
}

export class BedrockCredentialDoc {
  @ApiProperty({ example: 'AKIAEXAMPLEPLACEHOLDER' })
  accessKeyId!: string;

  @ApiProperty({ example: 'EXAMPLE/placeholder/secret/access/key/value0' })
  secretAccessKey!: string;

  @ApiPropertyOptional({ description: 'For temporary credentials.', example: 'IQoJb3JpZ2luX2VjEXAMPLE' })
  sessionToken?: string;

  @ApiProperty({ example: 'us-east-1' })
  region!: string;
}

export const CREDENTIAL_DOCS = [ApiKeyCredentialDoc, VertexCredentialDoc, AzureCredentialDoc, BedrockCredentialDoc];

const credentialSchema = {
  description:
    'The provider credential; its shape depends on the provider (see GET /api/catalog/providers `credentialShape`): `api-key` {apiKey}, `vertex-service-account`, `azure-openai`, `bedrock-iam`. Never returned.',
  oneOf: CREDENTIAL_DOCS.map((d) => ({ $ref: getSchemaPath(d) })),
  example: { apiKey: 'sk-ant-api03-EXAMPLE-PLACEHOLDER-NOT-A-REAL-KEY' },
};

class IntegrationSettingsDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Production Anthropic account (cost center 42)' })
  description?: string | null;

  @IsOptional()
  @IsProjectScope()
  @ApiPropertyOptional({
    description: '`"all"` (every project of the organization, the default) or a list of project ids.',
    oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string', format: 'uuid' } }],
    example: ['5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d'],
  })
  projectScope?: ProjectScope;

  @IsOptional()
  @IsIn(['active', 'disabled'], { message: 'must be active or disabled' })
  @ApiPropertyOptional({ enum: ['active', 'disabled'], example: 'active', description: 'A disabled integration serves no traffic.' })
  status?: IntegrationStatus;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Base URL of a self-hosted or proxy endpoint instead of the provider default. Private and loopback addresses are refused unless KEYWAY_ALLOW_PRIVATE_HOSTS=true.',
    example: 'https://llm-proxy.example.com/v1',
  })
  customHost?: string | null;

  @IsOptional()
  @IsIn([...API_FORMATS, null], { message: `must be one of ${API_FORMATS.join(', ')}` })
  @ApiPropertyOptional({ enum: API_FORMATS, nullable: true, example: 'openai', description: 'Wire format spoken by the custom host.' })
  apiFormat?: ApiFormat | null;

  @IsOptional()
  @IsHeaderMap()
  @ApiPropertyOptional({
    nullable: true,
    description: 'Extra headers sent upstream (encrypted like the credential; only their names are returned). `null` removes them.',
    example: { 'X-Org-Key': 'placeholder-value' },
    additionalProperties: { type: 'string' },
  })
  customAuthHeaders?: Record<string, string> | null;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, example: 1, description: 'Relative share of traffic among candidates (default 1).' })
  weight?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  @ApiPropertyOptional({ type: Number, nullable: true, example: 600, description: 'Requests per minute this integration may serve.' })
  rpmLimit?: number | null;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ example: false, description: 'Never fall back to the platform credential for requests this integration could serve.' })
  alwaysUse?: boolean;

  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  @ApiPropertyOptional({ type: Number, nullable: true, example: 50, description: 'USD per UTC day.' })
  dailyBudgetUsd?: number | null;

  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  @ApiPropertyOptional({ type: Number, nullable: true, example: 1000, description: 'USD per calendar month (UTC).' })
  monthlyBudgetUsd?: number | null;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'must be a region name such as us-east-1' })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'eu-west-1' })
  region?: string | null;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ example: true, description: 'Enable catalog models added later automatically (default true).' })
  autoEnable?: boolean;
}

export class CreateIntegrationDto extends IntegrationSettingsDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @ApiProperty({ example: 'Anthropic production' })
  name!: string;

  @IsString()
  @ApiProperty({ description: 'Unique in the organization; clients pin it with `x-keyway-provider-slug`.', pattern: '^[a-z0-9][a-z0-9-]{1,62}$', example: 'anthropic-prod' })
  providerSlug!: string;

  @IsString()
  @ApiProperty({ description: 'A catalog provider id; cannot be changed later.', example: 'anthropic' })
  provider!: string;

  @IsObject({ message: 'must be an object with the provider credential fields' })
  @ApiProperty(credentialSchema)
  credential!: Record<string, unknown>;
}

export class UpdateIntegrationDto extends IntegrationSettingsDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @ApiPropertyOptional({ example: 'Anthropic production (EU)' })
  name?: string;

  @IsOptional()
  @IsString()
  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', example: 'anthropic-prod-eu' })
  providerSlug?: string;

  @IsOptional()
  @IsString()
  @ApiPropertyOptional({ description: 'Immutable: any value other than the current provider is refused.', example: 'anthropic' })
  provider?: string;
}

export class RotateCredentialDto {
  @IsObject({ message: 'must be an object with the provider credential fields' })
  @ApiProperty(credentialSchema)
  credential!: Record<string, unknown>;
}

export class CredentialView {
  @ApiProperty({ example: 'sk-ant-••••3f9' })
  mask!: string;

  @ApiProperty({ description: 'Stable short fingerprint: equal for equal secrets, reveals nothing.', example: 'fp_3a9c41d07be2' })
  fingerprint!: string;

  @ApiProperty({ description: 'Non-secret parts (region, resource name, deployments, service-account email).', example: { region: 'us-east-1' } })
  details!: Record<string, unknown>;
}

export class HealthView {
  @ApiProperty({ enum: ['healthy', 'cooling_down', 'failing'], example: 'healthy' })
  status!: string;

  @ApiProperty({ example: 0 })
  consecutiveFailures!: number;

  @ApiProperty({ nullable: true, type: String, example: null, description: 'Redacted.' })
  lastError!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  lastErrorAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2026-11-25T10:00:00.000Z' })
  lastSuccessAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  cooldownUntil!: string | null;
}

export class IntegrationResponse {
  @ApiProperty({ format: 'uuid', example: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '2a7e4c1b-3d5f-4e6a-9b8c-7d6e5f4a3b2c' })
  organizationId!: string;

  @ApiProperty({ example: 'Anthropic production' })
  name!: string;

  @ApiProperty({ example: 'anthropic-prod' })
  providerSlug!: string;

  @ApiProperty({ example: 'anthropic' })
  provider!: string;

  @ApiProperty({ nullable: true, type: String, example: 'Production Anthropic account' })
  description!: string | null;

  @ApiProperty({ oneOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string', format: 'uuid' } }], example: 'all' })
  projectScope!: ProjectScope;

  @ApiProperty({ enum: ['active', 'disabled'], example: 'active' })
  status!: IntegrationStatus;

  @ApiProperty({ type: CredentialView })
  credential!: CredentialView;

  @ApiProperty({ nullable: true, type: String, example: null })
  customHost!: string | null;

  @ApiProperty({ enum: API_FORMATS, nullable: true, example: null })
  apiFormat!: ApiFormat | null;

  @ApiProperty({ description: 'Names of the custom auth headers; values are never returned.', example: ['X-Org-Key'] })
  customAuthHeaders!: string[];

  @ApiProperty({ example: 1 })
  weight!: number;

  @ApiProperty({ nullable: true, type: Number, example: 600 })
  rpmLimit!: number | null;

  @ApiProperty({ example: false })
  alwaysUse!: boolean;

  @ApiProperty({ nullable: true, type: Number, example: 50 })
  dailyBudgetUsd!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 1000 })
  monthlyBudgetUsd!: number | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  region!: string | null;

  @ApiProperty({ example: true })
  autoEnable!: boolean;

  @ApiProperty({ type: HealthView })
  health!: HealthView;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  updatedAt!: string;
}

export class ProbeResponse {
  @ApiProperty({ example: true })
  ok!: boolean;

  @ApiProperty({ nullable: true, type: Number, example: 200 })
  status!: number | null;

  @ApiProperty({ example: 184 })
  latencyMs!: number;

  @ApiProperty({ example: 'The provider accepted the credential.' })
  message!: string;
}

export class AuditQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ minimum: 1, maximum: 200, example: 50 })
  limit?: number;

  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T/, { message: 'must be an ISO 8601 timestamp' })
  @ApiPropertyOptional({ description: 'Cursor: events strictly older than this time (the `nextBefore` of the previous page).', example: '2026-11-25T10:00:00.000Z' })
  before?: string;

  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' })
  @ApiPropertyOptional({ format: 'uuid', example: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098' })
  integrationId?: string;
}

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid', example: '1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6' })
  id!: string;

  @ApiProperty({ example: 'integration.credential_rotated' })
  action!: string;

  @ApiProperty({ format: 'uuid', example: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' })
  actorUserId!: string;

  @ApiProperty({ format: 'uuid', example: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098' })
  integrationId!: string;

  @ApiProperty({ example: 'anthropic-prod' })
  integrationSlug!: string;

  @ApiProperty({ description: 'What changed (field names, fingerprints); never a secret.', example: { previousFingerprint: 'fp_3a9c41d07be2', fingerprint: 'fp_77e0c2b9d141' } })
  details!: Record<string, unknown>;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEventResponse] })
  events!: AuditEventResponse[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for the next page; null at the end.', example: '2026-11-24T18:12:09.000Z' })
  nextBefore!: string | null;
}
