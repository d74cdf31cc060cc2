import 'reflect-metadata';
import { ConfigError, KeywayConfig } from './platform/config/keyway-config';
import { DataDirInUse } from './platform/database/embedded-postgres';
import { createApp } from './platform/http/create-app';
import { CatalogInvalid } from './modules/catalog/domain/catalog.errors';

async function main(): Promise<void> {
  const config = new KeywayConfig(process.env);
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(`keyway listening on http://${config.host}:${port} (docs: /docs, database: ${config.embedded ? `embedded in ${config.dataDir}` : 'PostgreSQL'})\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`keyway: invalid configuration: ${error.message}\n`);
  } else if (error instanceof DataDirInUse || error instanceof CatalogInvalid) {
    process.stderr.write(`keyway: ${error.message}\n`);
  } else {
    process.stderr.write(`keyway: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
