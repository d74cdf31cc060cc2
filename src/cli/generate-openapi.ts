import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { KeywayConfig } from '../platform/config/keyway-config';
import { buildOpenApiDocument } from '../platform/http/openapi';

/**
 * Writes openapi/openapi.json from the code (`npm run openapi`), or with `--check` fails when
 * the committed file differs (CI). Preview mode builds the route metadata without a database.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const target = resolve(__dirname, '../../../openapi/openapi.json');
  const app = await NestFactory.create(AppModule.forRoot(new KeywayConfig({})), { preview: true, logger: false, abortOnError: false });
  const document = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (!check) {
    writeFileSync(target, document);
    process.stdout.write(`wrote ${target}\n`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== document) {
    process.stderr.write('openapi/openapi.json is stale: run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('openapi/openapi.json is up to date\n');
}

void main();
