import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { KeywayConfig } from '../config/keyway-config';
import { ChangeFeed } from './change-feed.port';
import { InProcessChangeFeed } from './in-process-change-feed.adapter';
import { PostgresChangeFeed } from './postgres-change-feed.adapter';

@Global()
@Module({
  providers: [
    {
      provide: ChangeFeed,
      inject: [KeywayConfig],
      useFactory: async (config: KeywayConfig): Promise<ChangeFeed> => {
        if (config.database.kind !== 'postgres') return new InProcessChangeFeed();
        const feed = new PostgresChangeFeed(config.database.url);
        await feed.start();
        return feed;
      },
    },
  ],
  exports: [ChangeFeed],
})
export class EventsModule implements OnApplicationShutdown {
  constructor(private readonly feed: ChangeFeed) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.feed instanceof PostgresChangeFeed) await this.feed.close();
  }
}
