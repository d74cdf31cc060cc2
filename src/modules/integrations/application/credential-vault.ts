import { Injectable } from '@nestjs/common';
import { KeyEncryption } from '../../../platform/crypto/key-encryption.port';
import { openSecret, SealedSecret, sealSecret } from '../../../platform/crypto/envelope';
import { Secret } from '../../../platform/crypto/secret';
import type { Credential } from '../domain/credential';
import type { Integration } from '../domain/integration';
import { IntegrationChanges } from './ports/integration-changes.port';

const CREDENTIAL = 'credential';
const HEADERS = 'custom-auth-headers';

/**
 * Seals and opens an integration's secrets. Opened secrets are cached in memory (never on
 * disk) per integration and credential version, and dropped on any change notification.
 */
@Injectable()
export class CredentialVault {
  private readonly cache = new Map<string, { version: number; credential: Secret<Credential>; headers: Secret<Record<string, string>> }>();

  constructor(
    private readonly keys: KeyEncryption,
    changes: IntegrationChanges,
  ) {
    changes.subscribe((change) => this.cache.delete(change.integrationId));
  }

  sealCredential(organizationId: string, integrationId: string, credential: Credential): Promise<SealedSecret> {
    return sealSecret(JSON.stringify(credential), { organizationId, integrationId, purpose: CREDENTIAL }, this.keys);
  }

  sealHeaders(organizationId: string, integrationId: string, headers: Record<string, string>): Promise<SealedSecret> {
    return sealSecret(JSON.stringify(headers), { organizationId, integrationId, purpose: HEADERS }, this.keys);
  }

  /** The decrypted credential and custom auth headers, as {@link Secret}s that print only their mask. */
  async open(integration: Integration): Promise<{ credential: Secret<Credential>; headers: Secret<Record<string, string>> }> {
    const cached = this.cache.get(integration.id);
    if (cached && cached.version === integration.credentialVersion) return cached;
    const context = { organizationId: integration.organizationId, integrationId: integration.id };
    const credential = JSON.parse(await openSecret(integration.credential, { ...context, purpose: CREDENTIAL }, this.keys)) as Credential;
    const headers = integration.customAuthHeaders
      ? (JSON.parse(await openSecret(integration.customAuthHeaders, { ...context, purpose: HEADERS }, this.keys)) as Record<string, string>)
      : {};
    const entry = {
      version: integration.credentialVersion,
      credential: new Secret(credential, integration.credentialSummary.mask),
      headers: new Secret(headers, '••••'),
    };
    this.cache.set(integration.id, entry);
    return entry;
  }

  forget(integrationId: string): void {
    this.cache.delete(integrationId);
  }
}
