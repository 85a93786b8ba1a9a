// Where votes, reasons, probe outcomes and "answered" events go, and what the bot reads back from them.
// The interface has three homes: in memory (here), the file in DATA_DIR (feedback-file.ts) for one process,
// and Redis (feedback-redis.ts) when several replicas share REDIS_URL. The in-memory and file stores answer
// from a tally folded from every record they have seen; Redis keeps the counts beside the records.
import type { FeedbackRecord } from "../feedback/records.js";
import { FeedbackTally, type VoteCount } from "../feedback/tally.js";

/** The append-only side: the shape every trail sink has. */
export interface FeedbackSink {
  append(rec: FeedbackRecord): Promise<void>;
}

export interface FeedbackStore extends FeedbackSink {
  /** The votes on one answer (channel/ts): each person once, as they last voted. */
  votesOn(answer: string): Promise<VoteCount>;
  /** Per article, the votes its answers got for one kind of paste (see matchedOn in feedback/rank.ts). */
  votesByArticle(matchedOn: string): Promise<ReadonlyMap<string, VoteCount>>;
  /** What an answer (channel/ts) was matched on, from its "answered" record. */
  matchedOnOf(answer: string): Promise<string | undefined>;
  /** What was wrong with the stored trail when it was opened or written (corrupt lines, a full disk...). */
  problems(): readonly string[];
  close(): Promise<void>;
}

/** Feedback kept in this process only: tests, the file store's tally, and the counts kept while Redis is away. */
export class MemoryFeedbackStore implements FeedbackStore {
  protected readonly tally: FeedbackTally;
  protected readonly issues: string[] = [];

  constructor(records: Iterable<FeedbackRecord> = []) {
    this.tally = new FeedbackTally(records);
  }

  async append(rec: FeedbackRecord): Promise<void> {
    this.tally.add(rec);
  }

  async votesOn(answer: string): Promise<VoteCount> {
    return this.tally.votesOn(answer);
  }

  async votesByArticle(matchedOn: string): Promise<ReadonlyMap<string, VoteCount>> {
    return this.tally.votesByArticle(matchedOn);
  }

  async matchedOnOf(answer: string): Promise<string | undefined> {
    return this.tally.matchedOnOf(answer);
  }

  problems(): readonly string[] {
    return this.issues;
  }

  /** Notes a problem once, however often it happens. */
  protected report(problem: string): void {
    if (!this.issues.includes(problem) && this.issues.length < 100) this.issues.push(problem);
  }

  async close(): Promise<void> {}
}
