import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { AuthCoreModule, AuthModule } from './platform/auth/auth.module';
import { ConfigModule } from './platform/config/config.module';
import { KeywayConfig } from './platform/config/keyway-config';
import { DatabaseModule } from './platform/database/database.module';
import { HealthModule } from './platform/health/health.module';
import { LoggingModule } from './platform/logging/logging.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { ORGANIZATION_ENTITIES } from './modules/organizations/infrastructure/organization.schema';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { CatalogModule } from './modules/catalog/catalog.module';
import { INTEGRATION_ENTITIES } from './modules/integrations/infrastructure/integration.schema';
import { CUSTOM_MODEL_ENTITIES } from './modules/integrations/infrastructure/custom-model.schema';
import { IntegrationsModule } from './modules/integrations/integrations.module';
import { ROUTING_ENTITIES } from './modules/routing/infrastructure/api-key.schema';
import { ROUTING_POLICY_ENTITIES } from './modules/routing/infrastructure/routing-policy.schema';
import { RoutingModule } from './modules/routing/routing.module';
import { ActivityModule } from './modules/activity/activity.module';
import { CryptoModule } from './platform/crypto/crypto.module';
import { NetModule } from './platform/net/net.module';
import { EventsModule } from './platform/events/events.module';

export type AppOptions = { logDestination?: DestinationStream };

/** The composition root: the only place that names every module and every module's tables. */
@Module({})
export class AppModule {
  static forRoot(config: KeywayConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logDestination),
        MetricsModule,
        DatabaseModule.forRoot([...ORGANIZATION_ENTITIES, ...INTEGRATION_ENTITIES, ...CUSTOM_MODEL_ENTITIES, ...ROUTING_ENTITIES, ...ROUTING_POLICY_ENTITIES]),
        CryptoModule,
        NetModule,
        EventsModule,
        AuthCoreModule,
        AuthModule.forRoot(OrganizationsModule),
        OrganizationsModule,
        CatalogModule,
        IntegrationsModule,
        RoutingModule,
        ActivityModule,
        HealthModule,
      ],
    };
  }
}
