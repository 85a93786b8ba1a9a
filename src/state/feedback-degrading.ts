// The shared feedback store with the shared state's outage handling (degrading.ts): while Redis is away,
// votes, reasons and answers are counted in this process and kept to be written to Redis when it is back.
// Counts shown meanwhile are this replica's only (what it saw since the outage began); the write-back is
// idempotent for votes (a person's vote is one hash field), so nobody is counted twice afterwards.
import type { FeedbackRecord } from "../feedback/records.js";
import type { VoteCount } from "../feedback/tally.js";
import { MemoryFeedbackStore, type FeedbackStore } from "./feedback.js";
import type { RedisFeedbackStore } from "./feedback-redis.js";

/** How the store reaches Redis: the shared state's switch between Redis and its in-process fallback. */
export interface RedisLink {
  /** Runs `op` on Redis, or `fallback` while Redis is away (an `op` that fails marks it away). */
  via<T>(op: () => Promise<T>, fallback: () => Promise<T>): Promise<T>;
}

export class DegradingFeedbackStore implements FeedbackStore {
  private mem = new MemoryFeedbackStore();
  private readonly pending: FeedbackRecord[] = [];

  constructor(
    private readonly red: RedisFeedbackStore,
    private readonly link: RedisLink,
    /** Records kept while Redis is away; the oldest are dropped beyond this. */
    private readonly maxPending = 10_000,
  ) {}

  async append(rec: FeedbackRecord): Promise<void> {
    const stored = await this.link.via(
      async () => {
        await this.red.append(rec);
        return true;
      },
      async () => false,
    );
    if (stored) return;
    await this.mem.append(rec);
    this.pending.push(rec);
    if (this.pending.length > this.maxPending) this.pending.shift();
  }

  votesOn(answer: string): Promise<VoteCount> {
    return this.link.via(() => this.red.votesOn(answer), () => this.mem.votesOn(answer));
  }

  votesByArticle(matchedOn: string): Promise<ReadonlyMap<string, VoteCount>> {
    return this.link.via(() => this.red.votesByArticle(matchedOn), () => this.mem.votesByArticle(matchedOn));
  }

  matchedOnOf(answer: string): Promise<string | undefined> {
    return this.link.via(() => this.red.matchedOnOf(answer), () => this.mem.matchedOnOf(answer));
  }

  problems(): readonly string[] {
    return [];
  }

  async close(): Promise<void> {}

  /** Redis is back: writes what was recorded meanwhile, then forgets the in-process counts. Throws if Redis fails again. */
  async writeBack(): Promise<number> {
    let written = 0;
    // Records that arrive while a batch is on its way join the next batch.
    while (this.pending.length) {
      const recs = this.pending.slice();
      await this.red.appendAll(recs);
      this.pending.splice(0, recs.length);
      written += recs.length;
    }
    this.mem = new MemoryFeedbackStore();
    return written;
  }
}
