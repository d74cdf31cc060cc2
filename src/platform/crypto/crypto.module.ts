import { join } from 'node:path';
import { Global, Logger, Module } from '@nestjs/common';
import { KeywayConfig } from '../config/keyway-config';
import { AwsKmsKeyEncryption } from './aws-kms.adapter';
import { KeyEncryption } from './key-encryption.port';
import { loadOrCreateKeyFile } from './key-file';
import { LocalKeyringKeyEncryption, parseKeyring } from './local-keyring.adapter';

/** Selects the key-encryption key: AWS KMS when configured, else the local keyring (from config, or a key file on the embedded default). */
export function createKeyEncryption(config: KeywayConfig, logger = new Logger('Crypto')): KeyEncryption {
  const kek = config.kek;
  if (kek.kind === 'aws-kms') return AwsKmsKeyEncryption.fromConfig({ keyId: kek.keyId, region: kek.region, endpoint: kek.endpoint });
  if (kek.keyring) return LocalKeyringKeyEncryption.fromKeyring(parseKeyring(kek.keyring));
  const path = join(config.dataDir, 'master.key');
  const file = loadOrCreateKeyFile(path);
  logger.warn(
    `${file.created ? 'generated' : 'using'} the master key file ${path}: credentials are encrypted with a key stored next to the database. ` +
      'Back it up, and in production set KEYWAY_MASTER_KEYS or KEYWAY_KMS_KEY_ID instead.',
  );
  if (file.insecureMode) logger.warn(`${path} is readable by group or others; run: chmod 600 ${path}`);
  return LocalKeyringKeyEncryption.fromKeyring(parseKeyring(file.spec));
}

@Global()
@Module({
  providers: [{ provide: KeyEncryption, inject: [KeywayConfig], useFactory: (config: KeywayConfig) => createKeyEncryption(config) }],
  exports: [KeyEncryption],
})
export class CryptoModule {}
