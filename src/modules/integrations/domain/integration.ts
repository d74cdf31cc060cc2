import { randomUUID } from 'node:crypto';
import type { ProviderId } from '../../catalog/domain/catalog';
import type { Provisioning } from '../../catalog/domain/provisioning';
import type { SealedSecret } from '../../../platform/crypto/envelope';
import type { CredentialSummary } from './credential';

export type ProjectScope = 'all' | string[];
export type IntegrationStatus = 'active' | 'disabled';
export type ApiFormat = 'openai' | 'anthropic' | 'cohere';
export const API_FORMATS: readonly ApiFormat[] = ['openai', 'anthropic', 'cohere'];
export const PROVIDER_SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

export type HealthStatus = 'healthy' | 'cooling_down' | 'failing';
export type IntegrationHealth = {
  status: HealthStatus;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastSuccessAt: string | null;
  cooldownUntil: string | null;
};

export const HEALTHY: IntegrationHealth = {
  status: 'healthy',
  consecutiveFailures: 0,
  lastError: null,
  lastErrorAt: null,
  lastSuccessAt: null,
  cooldownUntil: null,
};

export type AdvancedOptions = {
  customHost: string | null;
  apiFormat: ApiFormat | null;
  weight: number;
  rpmLimit: number | null;
  alwaysUse: boolean;
  dailyBudgetUsd: number | null;
  monthlyBudgetUsd: number | null;
  region: string | null;
};

/**
 * A BYOK record: an organization's own credential for one provider, scoped to projects.
 * The credential is held only sealed; `credentialSummary` is what may be shown.
 */
export class Integration {
  readonly createdAt: Date = new Date();
  updatedAt: Date = new Date();
  status: IntegrationStatus = 'active';
  health: IntegrationHealth = { ...HEALTHY };
  /** Bumped on every credential change so caches of the decrypted secret can tell they are stale. */
  credentialVersion = 1;
  customAuthHeaders: SealedSecret | null = null;
  customAuthHeaderNames: string[] = [];
  provisioning: Provisioning = { autoEnable: true, overrides: {} };

  constructor(
    readonly id: string,
    readonly organizationId: string,
    public name: string,
    public providerSlug: string,
    readonly provider: ProviderId,
    public description: string | null,
    public projectScope: ProjectScope,
    public credential: SealedSecret,
    public credentialSummary: CredentialSummary,
    public options: AdvancedOptions,
    readonly createdByUserId: string,
  ) {}

  /** A credential change takes effect at once and clears any cooldown. */
  replaceCredential(sealed: SealedSecret, summary: CredentialSummary): void {
    this.credential = sealed;
    this.credentialSummary = summary;
    this.credentialVersion += 1;
    this.resetHealth();
  }

  resetHealth(): void {
    this.health = { ...HEALTHY, lastSuccessAt: this.health.lastSuccessAt };
  }

  isInScopeOf(projectId: string): boolean {
    return this.projectScope === 'all' || this.projectScope.includes(projectId);
  }

  touch(): void {
    this.updatedAt = new Date();
  }
}

export function newIntegrationId(): string {
  return randomUUID();
}

/** One entry of the audit trail; never holds a secret. */
export type AuditAction = 'integration.created' | 'integration.updated' | 'integration.credential_rotated' | 'integration.tested' | 'integration.deleted' | 'integration.models_changed';

export class AuditEvent {
  readonly id: string = randomUUID();
  readonly createdAt: Date = new Date();
  constructor(
    readonly organizationId: string,
    readonly actorUserId: string,
    readonly action: AuditAction,
    readonly integrationId: string,
    readonly integrationSlug: string,
    readonly details: Record<string, unknown>,
    readonly ip: string | null,
  ) {}
}
