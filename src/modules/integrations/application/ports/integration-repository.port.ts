import type { Provisioning } from '../../../catalog/domain/provisioning';
import type { SealedSecret } from '../../../../platform/crypto/envelope';
import type { AuditEvent, Integration, IntegrationHealth } from '../../domain/integration';

export abstract class IntegrationRepository {
  abstract findById(id: string): Promise<Integration | null>;
  abstract findBySlug(organizationId: string, providerSlug: string): Promise<Integration | null>;
  abstract listByOrganization(organizationId: string): Promise<Integration[]>;
  abstract listAll(): Promise<Integration[]>;
  /** Inserts or updates; a duplicate (organization, providerSlug) raises a unique violation (`code` 23505). */
  abstract save(integration: Integration): Promise<void>;
  abstract delete(id: string): Promise<boolean>;
  /** Stores the health the router observed, without touching anything else of the row. */
  /** Stores model provisioning only, so a concurrent edit of other fields is not overwritten. */
  abstract updateProvisioning(id: string, provisioning: Provisioning): Promise<void>;
  abstract updateHealth(id: string, health: IntegrationHealth): Promise<void>;
  /** Integrations ordered by id after `afterId`, for batch jobs such as re-wrapping keys. */
  abstract page(afterId: string | null, limit: number): Promise<Integration[]>;
  /** Replaces the sealed secrets only if they are still the ones read (`expectedVersion`); false if the row changed meanwhile. */
  abstract replaceSealed(id: string, expectedVersion: number, credential: SealedSecret, customAuthHeaders: SealedSecret | null): Promise<boolean>;
}

export abstract class AuditLog {
  abstract record(event: AuditEvent): Promise<void>;
  abstract list(organizationId: string, options: { before?: Date; limit: number; integrationId?: string }): Promise<AuditEvent[]>;
}

/** The projects of an organization (from the organizations module), to check an integration's scope. */
export abstract class ProjectDirectory {
  abstract projectIdsOf(organizationId: string): Promise<string[]>;
}
