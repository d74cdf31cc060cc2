import type { ActivityQuery, ActivityRecord, ActivitySummary } from '../../domain/activity';

/** Where activity records are kept: appended in batches, read one project page at a time. */
export abstract class ActivityStore {
  /**
   * Appends the records in one statement: all of them or none. Throws
   * {@link ActivityRowsRejected} when the data itself was refused (retrying the same rows
   * cannot help); any other error is taken as the store being unavailable.
   */
  abstract insert(records: readonly ActivityRecord[]): Promise<void>;

  /** A page of one project's records, newest first. */
  abstract list(query: ActivityQuery): Promise<ActivitySummary[]>;

  abstract findById(id: string): Promise<ActivityRecord | null>;
}

/** The store refused the rows themselves (a constraint or a value out of range), not the connection. */
export class ActivityRowsRejected extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ActivityRowsRejected';
  }
}
