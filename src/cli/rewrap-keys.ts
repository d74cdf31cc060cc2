import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, KeywayConfig } from '../platform/config/keyway-config';
import { createKeyEncryption } from '../platform/crypto/crypto.module';
import { Database } from '../platform/database/database.module';
import { DataDirInUse } from '../platform/database/embedded-postgres';
import { ORGANIZATION_ENTITIES } from '../modules/organizations/infrastructure/organization.schema';
import { INTEGRATION_ENTITIES } from '../modules/integrations/infrastructure/integration.schema';
import { MikroOrmIntegrationRepository } from '../modules/integrations/infrastructure/integration-repository.adapter';
import { rewrapAllKeys } from '../modules/integrations/application/rewrap-keys';

/** `npm run keys:rewrap`: re-wrap every credential's data key under the active master key. Prints counts only. */
async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const config = new KeywayConfig(process.env);
  const keys = createKeyEncryption(config, new Logger('Crypto'));
  const db = await Database.open(config, [...ORGANIZATION_ENTITIES, ...INTEGRATION_ENTITIES]);
  try {
    const report = await rewrapAllKeys(new MikroOrmIntegrationRepository(db.orm), keys);
    process.stdout.write(
      `re-wrapped ${report.rewrapped}, already under ${keys.activeKekId} ${report.current}, rotated meanwhile ${report.changedMeanwhile}, failed ${report.failed.length} (of ${report.total} integrations)\n`,
    );
    for (const failure of report.failed) process.stdout.write(`  failed ${failure.integrationId}: ${failure.reason}\n`);
    process.exitCode = report.failed.length > 0 ? 1 : 0;
  } finally {
    await db.onApplicationShutdown();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DataDirInUse;
  process.stderr.write(`keys:rewrap: ${known ? (error as Error).message : error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
