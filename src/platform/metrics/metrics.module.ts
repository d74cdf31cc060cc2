import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { createMetricsRegistry } from './metrics-registry';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';

/**
 * Prometheus metrics: one registry for the application (modules register their series on the
 * exported `Registry`), served at `GET /metrics` with a token and, when `METRICS_PORT` is set, on
 * a separate internal listener without one.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: Registry, useFactory: createMetricsRegistry }, MetricsServer],
  exports: [Registry],
})
export class MetricsModule {}
