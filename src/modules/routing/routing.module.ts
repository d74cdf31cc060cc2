import { Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Agent } from 'undici';
import { Registry } from 'prom-client';
import { ScopeResolvers } from '../../platform/auth/scope-resolvers';
import { KeywayConfig } from '../../platform/config/keyway-config';
import { ErrorRenderer } from '../../platform/errors/problem-details.filter';
import { ProviderClient } from '../../providers/provider-client.port';
import { UpstreamChatClient } from '../../providers/upstream-chat.client';
import { ActivityModule } from '../activity/activity.module';
import { BatchingActivityWriter } from '../activity/application/batching-activity-writer';
import { CatalogModule } from '../catalog/catalog.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { IntegrationRepository } from '../integrations/application/ports/integration-repository.port';
import { ApiKeyService } from './application/api-key.service';
import { HealthTracker } from './application/limits/health-tracker.port';
import { RateLimiter } from './application/limits/rate-limiter.port';
import { ModelListingService } from './application/model-listing.service';
import { PlatformCredentials } from './application/platform-credentials';
import { ActivitySink } from './application/ports/activity-sink.port';
import { SpendHistory } from './application/ports/spend-history.port';
import { BudgetKeeper } from './application/budgets/budget-keeper';
import { ApiKeyRepository } from './application/ports/api-key-repository.port';
import { ProxyService } from './application/proxy.service';
import { RoutingDirectory } from './application/routing-directory';
import { RoutingPolicyService } from './application/routing-policy.service';
import { RoutingPolicyRepository, TargetDirectory } from './application/ports/routing-policy-repository.port';
import { ApiKeysController } from './api/api-keys.controller';
import { BudgetController } from './api/budget.controller';
import { GatewayConfigsController } from './api/gateway-configs.controller';
import { VirtualModelsController } from './api/virtual-models.controller';
import { ApiKeyGuard } from './api/proxy/api-key.guard';
import { ChatController } from './api/proxy/chat.controller';
import { ModelsController } from './api/proxy/models.controller';
import { ProxyErrorRenderer } from './api/proxy/proxy-error.renderer';
import { MikroOrmApiKeyRepository } from './infrastructure/api-key-repository.adapter';
import { IntegrationTargetDirectory } from './infrastructure/integration-target-directory.adapter';
import { MikroOrmRoutingPolicyRepository } from './infrastructure/routing-policy-repository.adapter';
import { createLimits, Limits } from './infrastructure/limits/create-limits';
import { meteredHealthTracker } from './infrastructure/metrics/metered-health-tracker';
import { meteredActivitySink } from './infrastructure/metrics/metered-activity-sink';

const LIMITS = Symbol('LIMITS');

@Module({
  imports: [ActivityModule, CatalogModule, IntegrationsModule],
  controllers: [ApiKeysController, ModelsController, ChatController, VirtualModelsController, GatewayConfigsController, BudgetController],
  providers: [
    { provide: ApiKeyRepository, useClass: MikroOrmApiKeyRepository },
    ApiKeyService,
    ApiKeyGuard,
    PlatformCredentials,
    RoutingDirectory,
    { provide: RoutingPolicyRepository, useClass: MikroOrmRoutingPolicyRepository },
    { provide: TargetDirectory, useClass: IntegrationTargetDirectory },
    RoutingPolicyService,
    ModelListingService,
    ProxyService,
    { provide: ProviderClient, inject: [Agent], useFactory: (agent: Agent) => new UpstreamChatClient(agent) },
    {
      provide: LIMITS,
      inject: [KeywayConfig],
      useFactory: async (config: KeywayConfig): Promise<Limits> => {
        const limits = createLimits({ redisUrl: config.redisUrl, health: config.health, logger: new Logger('Limits') });
        await limits.ready;
        return limits;
      },
    },
    { provide: RateLimiter, inject: [LIMITS], useFactory: (limits: Limits) => limits.rateLimiter },
    {
      provide: HealthTracker,
      inject: [LIMITS, Registry, IntegrationRepository],
      useFactory: (limits: Limits, registry: Registry, integrations: IntegrationRepository) => meteredHealthTracker(limits.health, registry, integrations, new Logger('Metrics')),
    },
    { provide: BudgetKeeper, inject: [LIMITS, SpendHistory], useFactory: (limits: Limits, history: SpendHistory) => new BudgetKeeper(limits.budgets, history, new Logger('Budgets')) },
    {
      provide: ActivitySink,
      inject: [BatchingActivityWriter, Registry],
      useFactory: (writer: BatchingActivityWriter, registry: Registry) => meteredActivitySink(writer, registry, new Logger('Metrics')),
    },
    { provide: ErrorRenderer, useClass: ProxyErrorRenderer },
  ],
  exports: [ErrorRenderer, ApiKeyService, ActivitySink],
})
export class RoutingModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly scopes: ScopeResolvers,
    private readonly repo: ApiKeyRepository,
    private readonly policies: RoutingPolicyRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.scopes.register('api-key', 'API key', async (id) => {
      const key = await this.repo.findById(id);
      return key ? { organizationId: key.organizationId, projects: key.projectId, createdByUserId: key.createdByUserId } : null;
    });
    this.scopes.register('virtual-model', 'Virtual model', async (id) => {
      const virtualModel = await this.policies.findVirtualModel(id);
      return virtualModel ? { organizationId: virtualModel.organizationId, projects: virtualModel.projectId } : null;
    });
    this.scopes.register('gateway-config', 'Gateway config', async (id) => {
      const config = await this.policies.findGatewayConfig(id);
      return config ? { organizationId: config.organizationId, projects: config.projectId } : null;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.moduleRef.get<Limits>(LIMITS, { strict: false }).close();
  }
}
