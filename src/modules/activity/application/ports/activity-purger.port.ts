/** Deletes old activity records, one bounded batch per call. */
export abstract class ActivityPurger {
  /**
   * Deletes up to `limit` records created before `before`, in one statement, and returns how
   * many it deleted (fewer than `limit`: none older is left). Returns `'busy'`, deleting
   * nothing, while another instance sharing the database is purging.
   */
  abstract deleteBatch(before: Date, limit: number): Promise<number | 'busy'>;
}
