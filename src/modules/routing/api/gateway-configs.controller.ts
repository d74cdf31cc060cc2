import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorization, Authorize, CurrentAuthorization } from '../../../platform/auth/authorize.decorator';
import { RoutingPolicyService } from '../application/routing-policy.service';
import { CreateGatewayConfigDto, GatewayConfigResponse, UpdateGatewayConfigDto } from './routing-policy.dto';
import { fromTargets, toGatewayConfig } from './routing-policy.mappers';

const PROJECT = { kind: 'project', param: 'projectId' };
const GATEWAY_CONFIG = { kind: 'gateway-config', param: 'configId' };

@ApiTags('gateway-configs')
@Controller('api/projects/:projectId/gateway-configs')
export class GatewayConfigsController {
  constructor(private readonly policies: RoutingPolicyService) {}

  @Get()
  @Authorize('routing.read', PROJECT)
  @ApiOperation({ summary: "A project's gateway configs", description: 'By name.' })
  @ApiOkResponse({ type: [GatewayConfigResponse] })
  async list(@Param('projectId') projectId: string): Promise<GatewayConfigResponse[]> {
    return (await this.policies.listGatewayConfigs(projectId)).map(toGatewayConfig);
  }

  @Post()
  @Authorize('routing.manage', PROJECT)
  @ApiOperation({
    summary: 'Create a gateway config (owners, project admins)',
    description: 'A named routing policy: strategy, retry rules, timeout, optional targets. Applied by a virtual model’s `config` or by the `x-keyway-config` request header.',
  })
  @ApiCreatedResponse({ type: GatewayConfigResponse })
  @ApiBadRequestResponse({ description: 'Invalid field, or a target naming no integration in scope of the project or a model it does not serve.' })
  @ApiConflictResponse({ description: 'The project already has a gateway config with this name.' })
  async create(@Param('projectId') projectId: string, @Body() body: CreateGatewayConfigDto, @CurrentAuthorization() authz: Authorization): Promise<GatewayConfigResponse> {
    const config = await this.policies.createGatewayConfig(
      { organizationId: authz.scope.organizationId, projectId },
      { name: body.name, strategy: body.strategy, targets: body.targets ? fromTargets(body.targets) : null, retry: { attempts: body.retry.attempts, onStatus: body.retry.onStatus }, timeoutMs: body.timeoutMs },
    );
    return toGatewayConfig(config);
  }

  @Get(':configId')
  @Authorize('routing.read', GATEWAY_CONFIG)
  @ApiOperation({ summary: 'A gateway config' })
  @ApiOkResponse({ type: GatewayConfigResponse })
  async get(@Param('projectId') projectId: string, @Param('configId') id: string): Promise<GatewayConfigResponse> {
    return toGatewayConfig(await this.policies.getGatewayConfig(projectId, id));
  }

  @Patch(':configId')
  @Authorize('routing.manage', GATEWAY_CONFIG)
  @ApiOperation({ summary: 'Edit a gateway config (owners, project admins)', description: 'Only the fields sent change; `targets` and `retry` are replaced whole; `null` removes the targets.' })
  @ApiOkResponse({ type: GatewayConfigResponse })
  @ApiBadRequestResponse({ description: 'Invalid field or target.' })
  @ApiConflictResponse({ description: 'The new name is taken by another gateway config of the project.' })
  async update(@Param('projectId') projectId: string, @Param('configId') id: string, @Body() body: UpdateGatewayConfigDto): Promise<GatewayConfigResponse> {
    const config = await this.policies.updateGatewayConfig(projectId, id, {
      name: body.name,
      strategy: body.strategy,
      targets: body.targets === undefined ? undefined : body.targets === null ? null : fromTargets(body.targets),
      retry: body.retry ? { attempts: body.retry.attempts, onStatus: body.retry.onStatus } : undefined,
      timeoutMs: body.timeoutMs,
    });
    return toGatewayConfig(config);
  }

  @Delete(':configId')
  @HttpCode(204)
  @Authorize('routing.manage', GATEWAY_CONFIG)
  @ApiOperation({ summary: 'Delete a gateway config (owners, project admins)', description: 'Refused (409) while a virtual model names it.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiConflictResponse({ description: 'A virtual model still uses it.' })
  async delete(@Param('projectId') projectId: string, @Param('configId') id: string): Promise<void> {
    await this.policies.deleteGatewayConfig(projectId, id);
  }
}
