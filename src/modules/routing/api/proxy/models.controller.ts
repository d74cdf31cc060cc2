import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../../../../platform/auth/authorize.decorator';
import { ModelListingService } from '../../application/model-listing.service';
import { ApiKeyGuard, ProxyRequest } from './api-key.guard';

class ModelObject {
  @ApiProperty({ example: 'anthropic/claude-sonnet-4-5' })
  id!: string;

  @ApiProperty({ enum: ['model'], example: 'model' })
  object!: 'model';

  @ApiProperty({ description: 'Unix seconds (the catalog has no release dates: 0).', example: 0 })
  created!: number;

  @ApiProperty({ description: 'Integration slugs (or `platform:<provider>`) that serve it, comma-separated.', example: 'anthropic-prod' })
  owned_by!: string;

  @ApiProperty({ enum: ['byok', 'platform', 'mixed'], example: 'byok' })
  keyway_source!: string;
}

class ModelList {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object!: 'list';

  @ApiProperty({ type: [ModelObject] })
  data!: ModelObject[];
}

@ApiTags('proxy')
@ApiSecurity('api-key')
@Controller('v1')
export class ModelsController {
  constructor(private readonly models: ModelListingService) {}

  @Get('models')
  @Public()
  @UseGuards(ApiKeyGuard)
  @ApiOperation({ summary: "Models this key's project can route (OpenAI list format)" })
  @ApiOkResponse({ type: ModelList })
  @ApiUnauthorizedResponse({ description: 'Missing, unknown, revoked or expired API key (OpenAI error format).' })
  async list(@Req() req: ProxyRequest): Promise<ModelList> {
    const key = req.gatewayKey!;
    const models = await this.models.list(key.organizationId, key.projectId);
    return {
      object: 'list',
      data: models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.ownedBy.join(','), keyway_source: m.source })),
    };
  }
}
