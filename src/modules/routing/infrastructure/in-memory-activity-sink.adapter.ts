import { ActivityEntry, ActivitySink } from '../application/ports/activity-sink.port';

/** Keeps the most recent entries in memory; the activity module's database writer replaces it. */
export class InMemoryActivitySink implements ActivitySink {
  private readonly entries: ActivityEntry[] = [];

  constructor(private readonly capacity = 1000) {}

  record(entry: ActivityEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  recent(): readonly ActivityEntry[] {
    return this.entries;
  }
}
