import type { ProviderEntry } from '../../../catalog/domain/catalog';
import type { Secret } from '../../../../platform/crypto/secret';
import type { Credential } from '../../domain/credential';
import type { AdvancedOptions } from '../../domain/integration';

export type ProbeResult = { ok: boolean; status: number | null; latencyMs: number; message: string; authFailed: boolean };

/** Makes one cheap authenticated call to the provider (e.g. list models) to verify a credential. */
export abstract class ProviderProbe {
  abstract probe(
    provider: ProviderEntry,
    credential: Secret<Credential>,
    options: Pick<AdvancedOptions, 'customHost' | 'apiFormat'>,
    customHeaders: Record<string, string>,
  ): Promise<ProbeResult>;
}
