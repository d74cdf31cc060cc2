import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../../../platform/auth/actor';
import { Authorize, CurrentActor } from '../../../platform/auth/authorize.decorator';
import { IntegrationService, RequestContext } from '../application/integration.service';
import {
  AuditPageResponse,
  AuditQueryDto,
  CREDENTIAL_DOCS,
  CreateIntegrationDto,
  IntegrationResponse,
  ProbeResponse,
  RotateCredentialDto,
  UpdateIntegrationDto,
} from './integration.dto';
import { toAuditEvent, toIntegration } from './integration.mappers';

const ORG = { kind: 'organization', param: 'orgId' };
/** The organization as seen from its projects: project admins and developers reach what is in scope of theirs. */
const ORG_PROJECTS = { kind: 'organization-projects', param: 'orgId' };
const INTEGRATION = { kind: 'integration', param: 'id' };

function context(actor: Actor, req: Request): RequestContext {
  return { actor, ip: req.ip ?? null };
}

@ApiTags('integrations')
@ApiExtraModels(...CREDENTIAL_DOCS)
@Controller('api')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationService) {}

  @Get('organizations/:orgId/integrations')
  @Authorize('integrations.read', ORG_PROJECTS)
  @ApiOperation({ summary: 'Integrations', description: 'Owners see all; project admins and developers see those in scope of their projects. Credentials are masked.' })
  @ApiOkResponse({ type: [IntegrationResponse] })
  async list(@Param('orgId') orgId: string, @CurrentActor() actor: Actor): Promise<IntegrationResponse[]> {
    return (await this.integrations.list(orgId, actor)).map(toIntegration);
  }

  @Post('organizations/:orgId/integrations')
  @Authorize('integrations.manage', ORG)
  @ApiOperation({ summary: 'Attach a provider credential (owners)', description: 'The credential is encrypted at once and never returned; the response shows its mask and fingerprint.' })
  @ApiCreatedResponse({ type: IntegrationResponse })
  @ApiBadRequestResponse({ description: 'Invalid field, wrong credential shape for the provider, unsafe custom host, or a project of another organization.' })
  @ApiConflictResponse({ description: 'The provider slug is taken in this organization.' })
  async create(@Param('orgId') orgId: string, @Body() body: CreateIntegrationDto, @CurrentActor() actor: Actor, @Req() req: Request): Promise<IntegrationResponse> {
    return toIntegration(await this.integrations.create(orgId, body, context(actor, req)));
  }

  @Get('integrations/:id')
  @Authorize('integrations.read', INTEGRATION)
  @ApiOperation({ summary: 'An integration (masked)' })
  @ApiOkResponse({ type: IntegrationResponse })
  async get(@Param('id') id: string): Promise<IntegrationResponse> {
    return toIntegration(await this.integrations.get(id));
  }

  @Patch('integrations/:id')
  @Authorize('integrations.manage', INTEGRATION)
  @ApiOperation({ summary: 'Edit an integration (owners)', description: 'The provider cannot change. Editing clears any cooldown.' })
  @ApiOkResponse({ type: IntegrationResponse })
  @ApiConflictResponse({ description: 'The provider slug is taken in this organization.' })
  async update(@Param('id') id: string, @Body() body: UpdateIntegrationDto, @CurrentActor() actor: Actor, @Req() req: Request): Promise<IntegrationResponse> {
    return toIntegration(await this.integrations.update(id, body, context(actor, req)));
  }

  @Put('integrations/:id/credential')
  @Authorize('integrations.manage', INTEGRATION)
  @ApiOperation({ summary: 'Rotate the credential (owners)', description: 'Takes effect on the next request on every instance; requests in flight finish with the old one.' })
  @ApiOkResponse({ type: IntegrationResponse })
  async rotate(@Param('id') id: string, @Body() body: RotateCredentialDto, @CurrentActor() actor: Actor, @Req() req: Request): Promise<IntegrationResponse> {
    return toIntegration(await this.integrations.rotateCredential(id, body.credential, context(actor, req)));
  }

  @Delete('integrations/:id')
  @HttpCode(204)
  @Authorize('integrations.manage', INTEGRATION)
  @ApiOperation({ summary: 'Delete an integration and its secret (owners)', description: 'Its traffic goes to the next candidate or the platform credential.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async delete(@Param('id') id: string, @CurrentActor() actor: Actor, @Req() req: Request): Promise<void> {
    await this.integrations.delete(id, context(actor, req));
  }

  @Post('integrations/:id/test')
  @HttpCode(200)
  @Authorize('integrations.manage', INTEGRATION)
  @ApiOperation({ summary: 'Verify the credential against the provider (owners)', description: 'One cheap authenticated call (listing models). The result updates the health.' })
  @ApiOkResponse({ type: ProbeResponse })
  async test(@Param('id') id: string, @CurrentActor() actor: Actor, @Req() req: Request): Promise<ProbeResponse> {
    const { ok, status, latencyMs, message } = await this.integrations.test(id, context(actor, req));
    return { ok, status, latencyMs, message };
  }

  @Get('organizations/:orgId/audit')
  @Authorize('audit.read', ORG)
  @ApiOperation({ summary: 'Audit trail of integrations (owners)', description: 'Who created, edited, rotated, tested or deleted which integration, when and from which IP; newest first.' })
  @ApiOkResponse({ type: AuditPageResponse })
  async audit(@Param('orgId') orgId: string, @Query() query: AuditQueryDto): Promise<AuditPageResponse> {
    const limit = query.limit ?? 50;
    const events = await this.integrations.auditTrail(orgId, { limit, before: query.before ? new Date(query.before) : undefined, integrationId: query.integrationId });
    return { events: events.map(toAuditEvent), nextBefore: events.length === limit ? events[events.length - 1].createdAt.toISOString() : null };
  }
}
