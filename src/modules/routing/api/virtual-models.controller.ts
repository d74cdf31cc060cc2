import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorization, Authorize, CurrentAuthorization } from '../../../platform/auth/authorize.decorator';
import { RoutingPolicyService } from '../application/routing-policy.service';
import { CreateVirtualModelDto, UpdateVirtualModelDto, VirtualModelResponse } from './routing-policy.dto';
import { fromTargets, toVirtualModel } from './routing-policy.mappers';

const PROJECT = { kind: 'project', param: 'projectId' };
const VIRTUAL_MODEL = { kind: 'virtual-model', param: 'virtualModelId' };

@ApiTags('virtual-models')
@Controller('api/projects/:projectId/virtual-models')
export class VirtualModelsController {
  constructor(private readonly policies: RoutingPolicyService) {}

  @Get()
  @Authorize('routing.read', PROJECT)
  @ApiOperation({ summary: "A project's virtual models", description: 'By name.' })
  @ApiOkResponse({ type: [VirtualModelResponse] })
  async list(@Param('projectId') projectId: string): Promise<VirtualModelResponse[]> {
    return (await this.policies.listVirtualModels(projectId)).map(toVirtualModel);
  }

  @Post()
  @Authorize('routing.manage', PROJECT)
  @ApiOperation({
    summary: 'Create a virtual model (owners, project admins)',
    description: 'A model name (e.g. `smart`) that routes to its targets; it takes effect on the next request on every instance.',
  })
  @ApiCreatedResponse({ type: VirtualModelResponse })
  @ApiBadRequestResponse({ description: 'Invalid field; a target naming no integration in scope of the project, or a model that integration does not serve; an unknown gateway config.' })
  @ApiConflictResponse({ description: 'The project already has a virtual model with this name.' })
  async create(@Param('projectId') projectId: string, @Body() body: CreateVirtualModelDto, @CurrentAuthorization() authz: Authorization): Promise<VirtualModelResponse> {
    const view = await this.policies.createVirtualModel(
      { organizationId: authz.scope.organizationId, projectId },
      { name: body.name, description: body.description, targets: fromTargets(body.targets), config: body.config },
    );
    return toVirtualModel(view);
  }

  @Get(':virtualModelId')
  @Authorize('routing.read', VIRTUAL_MODEL)
  @ApiOperation({ summary: 'A virtual model' })
  @ApiOkResponse({ type: VirtualModelResponse })
  async get(@Param('projectId') projectId: string, @Param('virtualModelId') id: string): Promise<VirtualModelResponse> {
    return toVirtualModel(await this.policies.getVirtualModel(projectId, id));
  }

  @Patch(':virtualModelId')
  @Authorize('routing.manage', VIRTUAL_MODEL)
  @ApiOperation({ summary: 'Edit a virtual model (owners, project admins)', description: 'Only the fields sent change; `targets` replaces the list; `null` clears description or config.' })
  @ApiOkResponse({ type: VirtualModelResponse })
  @ApiBadRequestResponse({ description: 'Invalid field, target or gateway config.' })
  @ApiConflictResponse({ description: 'The new name is taken by another virtual model of the project.' })
  async update(@Param('projectId') projectId: string, @Param('virtualModelId') id: string, @Body() body: UpdateVirtualModelDto): Promise<VirtualModelResponse> {
    const view = await this.policies.updateVirtualModel(projectId, id, {
      name: body.name,
      description: body.description,
      targets: body.targets ? fromTargets(body.targets) : undefined,
      config: body.config,
    });
    return toVirtualModel(view);
  }

  @Delete(':virtualModelId')
  @HttpCode(204)
  @Authorize('routing.manage', VIRTUAL_MODEL)
  @ApiOperation({ summary: 'Delete a virtual model (owners, project admins)', description: 'Its name stops routing on the next request.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  async delete(@Param('projectId') projectId: string, @Param('virtualModelId') id: string): Promise<void> {
    await this.policies.deleteVirtualModel(projectId, id);
  }
}
