import { BeforeApplicationShutdown, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ScopeResolvers } from '../../platform/auth/scope-resolvers';
import { KeywayConfig } from '../../platform/config/keyway-config';
import { ActivityService } from './application/activity.service';
import { ActivityWriterOptions, BatchingActivityWriter, DEFAULT_ACTIVITY_WRITER_OPTIONS } from './application/batching-activity-writer';
import { ActivityStore } from './application/ports/activity-store.port';
import { ActivityController } from './api/activity.controller';
import { MikroOrmActivityStore } from './infrastructure/activity-store.adapter';

/**
 * The activity log: the batching writer behind the proxy's `ActivitySink` (the routing module
 * binds its port to {@link BatchingActivityWriter}), and the read API.
 */
@Module({
  controllers: [ActivityController],
  providers: [
    { provide: ActivityStore, useClass: MikroOrmActivityStore },
    {
      provide: BatchingActivityWriter,
      inject: [ActivityStore, KeywayConfig],
      useFactory: (store: ActivityStore, config: KeywayConfig) =>
        new BatchingActivityWriter((records) => store.insert(records), writerOptions(config), new Logger('Activity')),
    },
    ActivityService,
  ],
  exports: [BatchingActivityWriter],
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
