import { Module, OnModuleInit } from '@nestjs/common';
import { Agent } from 'undici';
import { ScopeResolvers } from '../../platform/auth/scope-resolvers';
import { CatalogModule } from '../catalog/catalog.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { OrganizationService } from '../organizations/application/organization.service';
import { CredentialVault } from './application/credential-vault';
import { IntegrationService } from './application/integration.service';
import { ProvisioningService } from './application/provisioning.service';
import { CustomModelRepository } from './application/ports/custom-model-repository.port';
import { IntegrationChanges } from './application/ports/integration-changes.port';
import { AuditLog, IntegrationRepository, ProjectDirectory } from './application/ports/integration-repository.port';
import { ProviderProbe } from './application/ports/provider-probe.port';
import { IntegrationsController } from './api/integrations.controller';
import { ModelsController } from './api/models.controller';
import { MikroOrmCustomModelRepository } from './infrastructure/custom-model-repository.adapter';
import { HttpProviderProbe } from './infrastructure/http-provider-probe.adapter';
import { FeedIntegrationChanges } from './infrastructure/feed-integration-changes.adapter';
import { ChangeFeed } from '../../platform/events/change-feed.port';
import { MikroOrmAuditLog, MikroOrmIntegrationRepository } from './infrastructure/integration-repository.adapter';

@Module({
  imports: [CatalogModule, OrganizationsModule],
  controllers: [IntegrationsController, ModelsController],
  providers: [
    { provide: IntegrationRepository, useClass: MikroOrmIntegrationRepository },
    { provide: AuditLog, useClass: MikroOrmAuditLog },
    {
      provide: ProjectDirectory,
      inject: [OrganizationService],
      useFactory: (organizations: OrganizationService): ProjectDirectory => ({
        projectIdsOf: async (organizationId) => (await organizations.listAllProjects(organizationId)).map((p) => p.id),
      }),
    },
    { provide: IntegrationChanges, inject: [ChangeFeed], useFactory: (feed: ChangeFeed) => new FeedIntegrationChanges(feed) },
    { provide: ProviderProbe, inject: [Agent], useFactory: (agent: Agent) => new HttpProviderProbe(agent) },
    { provide: CustomModelRepository, useClass: MikroOrmCustomModelRepository },
    CredentialVault,
    IntegrationService,
    ProvisioningService,
  ],
  exports: [IntegrationService, IntegrationRepository, CredentialVault, IntegrationChanges, ProvisioningService, CustomModelRepository],
})
export class IntegrationsModule implements OnModuleInit {
  constructor(
    private readonly scopes: ScopeResolvers,
    private readonly repo: IntegrationRepository,
  ) {}

  onModuleInit(): void {
    this.scopes.register('integration', 'Integration', async (id) => {
      const integration = await this.repo.findById(id);
      return integration ? { organizationId: integration.organizationId, projects: integration.projectScope } : null;
    });
  }
}
