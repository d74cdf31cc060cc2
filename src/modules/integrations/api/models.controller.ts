import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../../../platform/auth/actor';
import { Authorize, CurrentActor } from '../../../platform/auth/authorize.decorator';
import type { RequestContext } from '../application/integration.service';
import { ProvisioningService } from '../application/provisioning.service';
import { CUSTOM_MODEL_SLUG } from '../domain/custom-model';
import { ChangeProvisioningDto, CreateCustomModelDto, CustomModelResponse, ProvisioningResponse, UpdateCustomModelDto } from './models.dto';
import { fromChangeProvisioning, fromCreateCustomModel, fromUpdateCustomModel, toCustomModel, toProvisioning } from './models.mappers';

const INTEGRATION = { kind: 'integration', param: 'id' };

const MODEL_SLUG_PARAM = ApiParam({
  name: 'modelSlug',
  description: 'The custom model’s `modelSlug` (letters, digits, `.`, `_`, `:`, `-`).',
  schema: { type: 'string', pattern: CUSTOM_MODEL_SLUG.source },
  example: 'ft:gpt-4o-mini:acme:support-v2',
});

function context(actor: Actor, req: Request): RequestContext {
  return { actor, ip: req.ip ?? null };
}

/** Which models an integration serves: catalog models toggled on or off, and custom models. */
@ApiTags('integrations')
@Controller('api/integrations/:id')
export class ModelsController {
  constructor(private readonly provisioning: ProvisioningService) {}

  @Get('models')
  @Authorize('integrations.read', INTEGRATION)
  @ApiOperation({ summary: 'Model provisioning of an integration', description: "Every catalog model of the integration's provider with whether it is enabled, and the custom models." })
  @ApiOkResponse({ type: ProvisioningResponse })
  async view(@Param('id') id: string): Promise<ProvisioningResponse> {
    return toProvisioning(await this.provisioning.view(id));
  }

  @Put('models')
  @Authorize('integrations.manage', INTEGRATION)
  @ApiOperation({
    summary: 'Enable or disable catalog models (owners)',
    description:
      'Exactly one of `{"all": true}` (every model on, autoEnable on), `{"none": true}` (every model off, autoEnable off) or `{"models": {"<slug>": true|false}}` (per-model toggles, merged); `autoEnable` may come with any of them and is applied last. Only enabled catalog models and custom models are routable.',
  })
  @ApiOkResponse({ type: ProvisioningResponse })
  @ApiBadRequestResponse({ description: "Not exactly one of all, none, models; or a slug that is not a catalog model of the integration's provider." })
  async change(@Param('id') id: string, @Body() body: ChangeProvisioningDto, @CurrentActor() actor: Actor, @Req() req: Request): Promise<ProvisioningResponse> {
    return toProvisioning(await this.provisioning.change(id, fromChangeProvisioning(body), context(actor, req)));
  }

  @Get('custom-models')
  @Authorize('integrations.read', INTEGRATION)
  @ApiOperation({ summary: 'Custom models of an integration', description: 'By modelSlug.' })
  @ApiOkResponse({ type: [CustomModelResponse] })
  async list(@Param('id') id: string): Promise<CustomModelResponse[]> {
    return (await this.provisioning.listCustomModels(id)).map(toCustomModel);
  }

  @Post('custom-models')
  @Authorize('integrations.manage', INTEGRATION)
  @ApiOperation({ summary: 'Add a custom model (owners)', description: 'A model the catalog does not list (a fine-tune, a self-hosted model) with its own prices; routable at once.' })
  @ApiCreatedResponse({ type: CustomModelResponse })
  @ApiBadRequestResponse({ description: 'Invalid field, a base model whose API the integration does not speak, or an unsafe custom host.' })
  @ApiConflictResponse({ description: 'The integration already has a custom model with this modelSlug.' })
  async create(@Param('id') id: string, @Body() body: CreateCustomModelDto, @CurrentActor() actor: Actor, @Req() req: Request): Promise<CustomModelResponse> {
    return toCustomModel(await this.provisioning.createCustomModel(id, fromCreateCustomModel(body), context(actor, req)));
  }

  @Get('custom-models/:modelSlug')
  @Authorize('integrations.read', INTEGRATION)
  @MODEL_SLUG_PARAM
  @ApiOperation({ summary: 'A custom model' })
  @ApiOkResponse({ type: CustomModelResponse })
  async get(@Param('id') id: string, @Param('modelSlug') modelSlug: string): Promise<CustomModelResponse> {
    return toCustomModel(await this.provisioning.getCustomModel(id, modelSlug));
  }

  @Patch('custom-models/:modelSlug')
  @Authorize('integrations.manage', INTEGRATION)
  @MODEL_SLUG_PARAM
  @ApiOperation({ summary: 'Edit a custom model (owners)', description: 'Only the fields sent change; `null` clears baseModel, customHost or additionalPricing.' })
  @ApiOkResponse({ type: CustomModelResponse })
  @ApiBadRequestResponse({ description: 'Invalid field, a base model whose API the integration does not speak, or an unsafe custom host.' })
  @ApiConflictResponse({ description: 'The new modelSlug is taken by another custom model of the integration.' })
  async update(
    @Param('id') id: string,
    @Param('modelSlug') modelSlug: string,
    @Body() body: UpdateCustomModelDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<CustomModelResponse> {
    return toCustomModel(await this.provisioning.updateCustomModel(id, modelSlug, fromUpdateCustomModel(body), context(actor, req)));
  }

  @Delete('custom-models/:modelSlug')
  @HttpCode(204)
  @Authorize('integrations.manage', INTEGRATION)
  @MODEL_SLUG_PARAM
  @ApiOperation({ summary: 'Remove a custom model (owners)', description: 'It stops being routable on the next request.' })
  @ApiNoContentResponse({ description: 'Removed.' })
  async delete(@Param('id') id: string, @Param('modelSlug') modelSlug: string, @CurrentActor() actor: Actor, @Req() req: Request): Promise<void> {
    await this.provisioning.deleteCustomModel(id, modelSlug, context(actor, req));
  }
}
