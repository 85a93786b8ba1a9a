// Where votes, reasons, probe outcomes and "answered" events go, and what the bot reads back from them.
// The append side has the shape of the shared-state FeedbackSink (one JSON-serialisable record at a time),
// so a shared store can take the records when several replicas run; the read side answers from a tally
// folded from everything this store has seen.
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

/** Feedback kept in this process only: tests, and the fallback when the trail cannot be written. */
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
