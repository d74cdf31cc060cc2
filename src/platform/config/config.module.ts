import { DynamicModule, Global, Module } from '@nestjs/common';
import { KeywayConfig } from './keyway-config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: KeywayConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: KeywayConfig, useValue: config }], exports: [KeywayConfig] };
  }
}
