import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Registry } from 'prom-client';
import { KeywayConfig } from '../config/keyway-config';

/**
 * The optional metrics listener (`METRICS_PORT` on `METRICS_HOST`, loopback by default): a plain
 * HTTP server, meant for an internal interface, that serves `GET /metrics` without a token and
 * nothing else. Started when the application boots, closed when it shuts down.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly config: KeywayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metrics;
    if (port === undefined) return;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // The main server keeps the process alive; this one must not hold it up on its own.
    server.unref();
    this.server = server;
    this.logger.log(`metrics served on http://${host}:${(server.address() as AddressInfo).port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return send(res, 404, 'text/plain; charset=utf-8', 'Not found: metrics are served at /metrics.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.\n');
    }
    try {
      const body = await this.registry.metrics();
      send(res, 200, this.registry.contentType, req.method === 'HEAD' ? '' : body);
    } catch (error) {
      this.logger.error(`metrics: collecting failed: ${error instanceof Error ? error.message : String(error)}`);
      send(res, 500, 'text/plain; charset=utf-8', 'Collecting the metrics failed.\n');
    }
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
