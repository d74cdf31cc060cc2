import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../platform/auth/actor';
import { Authorization, Authorize, CurrentActor, CurrentAuthorization } from '../../../platform/auth/authorize.decorator';
import { ApiKeyService } from '../application/api-key.service';
import type { ApiKey } from '../domain/api-key';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './api-key.dto';

const PROJECT = { kind: 'project', param: 'projectId' };
const API_KEY = { kind: 'api-key', param: 'keyId' };

export function toApiKey(k: ApiKey): ApiKeyResponse {
  const status = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
  return {
    id: k.id,
    projectId: k.projectId,
    name: k.name,
    prefix: k.prefix,
    createdByUserId: k.createdByUserId,
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    status,
  };
}

@ApiTags('api-keys')
@Controller('api/projects/:projectId/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Get()
  @Authorize('api-keys.read', PROJECT)
  @ApiOperation({ summary: "A project's API keys", description: 'Owners and project admins see every key; developers see the keys they created. Secrets are never shown again.' })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  async list(@Param('projectId') projectId: string, @CurrentActor() actor: Actor, @CurrentAuthorization() authz: Authorization): Promise<ApiKeyResponse[]> {
    const keys = await this.keys.list(projectId);
    return keys.filter((k) => authz.decision !== 'own' || k.createdByUserId === actor.userId).map(toApiKey);
  }

  @Post()
  @Authorize('api-keys.manage', PROJECT)
  @ApiOperation({ summary: 'Create an API key', description: 'The secret is in this response only; it is stored as a hash.' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  async create(@Param('projectId') projectId: string, @Body() body: CreateApiKeyDto, @CurrentActor() actor: Actor, @CurrentAuthorization() authz: Authorization): Promise<CreatedApiKeyResponse> {
    const { apiKey, key } = await this.keys.create({
      organizationId: authz.scope.organizationId,
      projectId,
      name: body.name,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
      createdByUserId: actor.userId,
    });
    return { ...toApiKey(apiKey), key };
  }

  @Delete(':keyId')
  @Authorize('api-keys.manage', API_KEY)
  @ApiOperation({ summary: 'Revoke an API key', description: 'Takes effect on the next request on every instance. Developers may revoke only their own keys.' })
  @ApiOkResponse({ type: ApiKeyResponse })
  async revoke(@Param('projectId') projectId: string, @Param('keyId') keyId: string): Promise<ApiKeyResponse> {
    return toApiKey(await this.keys.revoke(projectId, keyId));
  }
}
