import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../../platform/auth/authorize.decorator';
import { Catalog } from '../domain/catalog';
import { CatalogModelsResponse, CatalogProvidersResponse, ListCatalogModelsQuery } from './catalog.dto';
import { toCatalogModel, toCatalogProvider } from './catalog.mappers';

/** The shipped catalog, read-only; the same for every signed-in user. */
@ApiTags('catalog')
@Controller('api/catalog')
export class CatalogController {
  constructor(private readonly catalog: Catalog) {}

  @Get('providers')
  @Authenticated()
  @ApiOperation({ summary: 'Supported providers', description: 'Every provider the gateway can route to, with how its credential is shaped and sent.' })
  @ApiOkResponse({ type: CatalogProvidersResponse })
  providers(): CatalogProvidersResponse {
    return {
      version: this.catalog.version,
      pricingDate: this.catalog.pricingDate,
      providers: this.catalog.providers().map((provider) => toCatalogProvider(provider, this.catalog)),
    };
  }

  @Get('models')
  @Authenticated()
  @ApiOperation({
    summary: 'Catalog models and their prices',
    description: 'Optionally filtered by provider and modality. Prices are USD list prices per 1M tokens (or per image / per second of video).',
  })
  @ApiOkResponse({ type: CatalogModelsResponse })
  @ApiBadRequestResponse({ description: 'An unknown provider, modality or query parameter (problem+json naming the field).' })
  models(@Query() query: ListCatalogModelsQuery): CatalogModelsResponse {
    const models = this.catalog.models({ provider: query.provider, modality: query.modality });
    return { version: this.catalog.version, models: models.map(toCatalogModel) };
  }
}
