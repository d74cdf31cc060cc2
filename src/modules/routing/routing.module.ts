import { Module, OnModuleInit } from '@nestjs/common';
import { ScopeResolvers } from '../../platform/auth/scope-resolvers';
import { ErrorRenderer } from '../../platform/errors/problem-details.filter';
import { CatalogModule } from '../catalog/catalog.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { ApiKeyService } from './application/api-key.service';
import { ModelListingService } from './application/model-listing.service';
import { PlatformCredentials } from './application/platform-credentials';
import { RoutingDirectory } from './application/routing-directory';
import { ApiKeyRepository } from './application/ports/api-key-repository.port';
import { ApiKeysController } from './api/api-keys.controller';
import { ApiKeyGuard } from './api/proxy/api-key.guard';
import { ModelsController } from './api/proxy/models.controller';
import { ProxyErrorRenderer } from './api/proxy/proxy-error.renderer';
import { MikroOrmApiKeyRepository } from './infrastructure/api-key-repository.adapter';

@Module({
  imports: [CatalogModule, IntegrationsModule],
  controllers: [ApiKeysController, ModelsController],
  providers: [
    { provide: ApiKeyRepository, useClass: MikroOrmApiKeyRepository },
    ApiKeyService,
    ApiKeyGuard,
    PlatformCredentials,
    RoutingDirectory,
    ModelListingService,
    { provide: ErrorRenderer, useClass: ProxyErrorRenderer },
  ],
  exports: [ErrorRenderer, ApiKeyService],
})
export class RoutingModule implements OnModuleInit {
  constructor(
    private readonly scopes: ScopeResolvers,
    private readonly repo: ApiKeyRepository,
  ) {}

  onModuleInit(): void {
    this.scopes.register('api-key', 'API key', async (id) => {
      const key = await this.repo.findById(id);
      return key ? { organizationId: key.organizationId, projects: key.projectId, createdByUserId: key.createdByUserId } : null;
    });
  }
}
