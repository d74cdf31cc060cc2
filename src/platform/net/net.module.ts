import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';
import { KeywayConfig } from '../config/keyway-config';
import { createGuardedAgent } from './guarded-dispatcher';

/** The one HTTP agent for upstream calls: keep-alive pool, private addresses refused at connect time unless allowed. */
@Global()
@Module({
  providers: [
    {
      provide: Agent,
      inject: [KeywayConfig],
      useFactory: (config: KeywayConfig) => createGuardedAgent({ allowPrivate: config.allowPrivateHosts, connections: 256, keepAliveTimeout: 30_000, connectTimeout: 10_000 }),
    },
  ],
  exports: [Agent],
})
export class NetModule implements OnApplicationShutdown {
  constructor(private readonly agent: Agent) {}

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}
