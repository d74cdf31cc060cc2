import { Injectable } from '@nestjs/common';
import { ConfigError, KeywayConfig } from '../../../platform/config/keyway-config';
import { Secret } from '../../../platform/crypto/secret';
import { Catalog, ProviderId } from '../../catalog/domain/catalog';
import { Credential, parseCredential, summarize } from '../../integrations/domain/credential';

export type PlatformCredential = { provider: ProviderId; credential: Secret<Credential>; baseUrl?: string; label: `platform:${string}` };

/** The operator's own provider credentials from configuration, checked against the catalog at boot. */
@Injectable()
export class PlatformCredentials {
  private readonly byProvider = new Map<ProviderId, PlatformCredential>();

  constructor(config: KeywayConfig, catalog: Catalog) {
    for (const [id, entry] of config.platformCredentials) {
      const provider = catalog.provider(id as ProviderId);
      if (!provider) throw new ConfigError(entry.source, `names "${id}", which is not a catalog provider (one of ${catalog.providers().map((p) => p.id).join(', ')})`);
      const parsed = parseCredential(provider.credentialShape, entry.credential, entry.source);
      if (!parsed.ok) throw new ConfigError(entry.source, parsed.errors.map((e) => `${e.field.slice(entry.source.length + 1) || 'value'} ${e.message}`).join('; '));
      const mask = summarize(provider.credentialShape, parsed.value).mask;
      this.byProvider.set(provider.id, { provider: provider.id, credential: new Secret(parsed.value, mask), baseUrl: entry.baseUrl, label: `platform:${provider.id}` });
    }
  }

  for(provider: ProviderId): PlatformCredential | undefined {
    return this.byProvider.get(provider);
  }

  providers(): ProviderId[] {
    return [...this.byProvider.keys()];
  }
}
