import { Controller, Get, Headers, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { Public } from '../auth/authorize.decorator';
import { Unauthenticated } from '../auth/auth.errors';
import { KeywayConfig } from '../config/keyway-config';
import { bearerMatches } from './metrics-token';

/**
 * `GET /metrics` on the main port, in the Prometheus text format. Its labels name every
 * organization's provider slugs, so it is not public: it answers only with the bearer token
 * `KEYWAY_METRICS_TOKEN`, and looks like any unknown route (404) when no token is configured.
 * `@Public()` only lets it past the JWT guard; the token is checked here.
 *
 * Left out of the OpenAPI document: it is an operator's scrape endpoint, not part of the API
 * (see README, Metrics).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: Registry,
    private readonly config: KeywayConfig,
  ) {}

  @Get()
  @Public()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const token = this.config.metrics.token;
    if (token === undefined) throw new NotFoundException('Cannot GET /metrics');
    if (!bearerMatches(authorization, token)) throw new Unauthenticated('The metrics token is required (Authorization: Bearer <KEYWAY_METRICS_TOKEN>).');
    const body = await this.registry.metrics();
    res.status(200).setHeader('content-type', this.registry.contentType);
    res.setHeader('cache-control', 'no-store');
    res.end(body);
  }
}
