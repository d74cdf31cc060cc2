import { BeforeApplicationShutdown, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ScopeResolvers } from '../../platform/auth/scope-resolvers';
import { KeywayConfig } from '../../platform/config/keyway-config';
import { ActivityRetention } from './application/activity-retention';
import { ActivityService } from './application/activity.service';
import { ActivityWriterOptions, BatchingActivityWriter, DEFAULT_ACTIVITY_WRITER_OPTIONS } from './application/batching-activity-writer';
import { ActivityPurger } from './application/ports/activity-purger.port';
import { ActivityStore } from './application/ports/activity-store.port';
import { UsageStore } from './application/ports/usage-store.port';
import { UsageService } from './application/usage.service';
import { ActivityController } from './api/activity.controller';
import { UsageController } from './api/usage.controller';
import { MikroOrmActivityPurger } from './infrastructure/activity-purger.adapter';
import { MikroOrmActivityStore } from './infrastructure/activity-store.adapter';
import { ActivitySpendHistory } from './infrastructure/activity-spend-history.adapter';
import { SpendHistory } from '../routing/application/ports/spend-history.port';
import { MikroOrmUsageStore } from './infrastructure/usage-store.adapter';

/**
 * The activity log: the batching writer behind the proxy's `ActivitySink` (the routing module
 * binds its port to {@link BatchingActivityWriter}), and the read API.
 */
@Module({
  controllers: [ActivityController, UsageController],
  providers: [
    { provide: ActivityStore, useClass: MikroOrmActivityStore },
    {
      provide: BatchingActivityWriter,
      inject: [ActivityStore, KeywayConfig],
      useFactory: (store: ActivityStore, config: KeywayConfig) =>
        new BatchingActivityWriter((records) => store.insert(records), writerOptions(config), new Logger('Activity')),
    },
    ActivityService,
    { provide: ActivityPurger, useClass: MikroOrmActivityPurger },
    // Starts its timer on application bootstrap and stops (between two batches) before shutdown, ahead of the database.
    {
      provide: ActivityRetention,
      inject: [ActivityPurger, KeywayConfig],
      useFactory: (purger: ActivityPurger, config: KeywayConfig) => new ActivityRetention(purger, config.retention, new Logger('Activity')),
    },
    { provide: UsageStore, useClass: MikroOrmUsageStore },
    UsageService,
    // The budgets' reconciliation reads recorded spend (the routing module's port).
    { provide: SpendHistory, useClass: ActivitySpendHistory },
  ],
  exports: [BatchingActivityWriter, SpendHistory],
})
export class ActivityModule implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly scopes: ScopeResolvers,
    private readonly store: ActivityStore,
    private readonly writer: BatchingActivityWriter,
  ) {}

  onModuleInit(): void {
    this.scopes.register('activity', 'Activity record', async (id) => {
      const record = await this.store.findById(id);
      return record ? { organizationId: record.organizationId, projects: record.projectId } : null;
    });
  }

  /** While everything is still up: write what the buffer holds. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.writer.flush();
  }

  /**
   * After the HTTP server has closed (requests that ended meanwhile recorded too) and before
   * the database closes: the Database is in a global module, whose shutdown hooks Nest runs last.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.writer.close();
  }
}

function writerOptions(config: KeywayConfig): ActivityWriterOptions {
  return { ...DEFAULT_ACTIVITY_WRITER_OPTIONS, ...config.activity };
}
