import { rewrapSealed } from '../../../platform/crypto/envelope';
import type { KeyEncryption } from '../../../platform/crypto/key-encryption.port';
import type { IntegrationRepository } from './ports/integration-repository.port';

export type RewrapReport = { total: number; rewrapped: number; current: number; changedMeanwhile: number; failed: { integrationId: string; reason: string }[] };

/**
 * Re-wraps every integration's data keys under the active key-encryption key. Secrets are never
 * decrypted, only their data keys. Idempotent and resumable: data keys already under the active
 * key are left alone, and a row rotated meanwhile is skipped (it was sealed under the active key).
 */
export async function rewrapAllKeys(repo: IntegrationRepository, keys: KeyEncryption, batchSize = 100): Promise<RewrapReport> {
  const report: RewrapReport = { total: 0, rewrapped: 0, current: 0, changedMeanwhile: 0, failed: [] };
  let after: string | null = null;
  for (;;) {
    const page = await repo.page(after, batchSize);
    if (page.length === 0) return report;
    for (const integration of page) {
      report.total += 1;
      try {
        const credential = await rewrapSealed(integration.credential, keys);
        const headers = integration.customAuthHeaders ? await rewrapSealed(integration.customAuthHeaders, keys) : null;
        if (credential === integration.credential && headers === integration.customAuthHeaders) {
          report.current += 1;
        } else if (await repo.replaceSealed(integration.id, integration.credentialVersion, credential, headers)) {
          report.rewrapped += 1;
        } else {
          report.changedMeanwhile += 1;
        }
      } catch (error) {
        report.failed.push({ integrationId: integration.id, reason: error instanceof Error ? error.message : 'unknown error' });
      }
    }
    after = page[page.length - 1].id;
  }
}
