import type { ActivityEntry, AttemptRecord } from '../../routing/application/ports/activity-sink.port';

export type ActivityStatus = ActivityEntry['status'];
export type CredentialSource = NonNullable<ActivityEntry['credentialSource']>;
export type Attempt = AttemptRecord;

export const ACTIVITY_STATUSES: readonly ActivityStatus[] = ['success', 'error', 'cancelled'];
export const CREDENTIAL_SOURCES: readonly CredentialSource[] = ['byok', 'platform'];

/**
 * One proxied request as stored: the entry the proxy handed over, plus an id of its own.
 * `requestId` is the `x-request-id` the caller saw; callers may choose it, so it is neither
 * unique nor always a UUID, and the record is addressed by `id`.
 */
export type ActivityRecord = ActivityEntry & { id: string };

/** A listing row: the record without its attempts, and how many there were. */
export type ActivitySummary = Omit<ActivityRecord, 'attempts'> & { attemptCount: number };

/** Where a page ends, in listing order (newest first: `createdAt` desc, then `id` desc). */
export type ActivityPosition = { createdAt: Date; id: string };

export type ActivityFilter = {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Matches the requested or the served model. */
  model?: string;
  providerSlug?: string;
  source?: CredentialSource;
  status?: ActivityStatus;
  apiKeyId?: string;
  requestId?: string;
};

export type ActivityQuery = ActivityFilter & {
  projectId: string;
  /** Only rows strictly after this position in listing order (i.e. older). */
  after?: ActivityPosition;
  limit: number;
};
