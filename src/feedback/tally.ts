// Folds the feedback trail into what the bot and `kb stats` show: the votes on each answer (each person
// once, their latest vote), per-article totals, and per kind of paste the votes each article got.
import { ANSWERED_VIA, type AnsweredVia, type FeedbackRecord } from "./records.js";

export interface VoteCount {
  helpful: number;
  unhelpful: number;
}

/** One article's line in `kb stats --json`. Field names are a stable interface: add, never rename. */
export interface ArticleStats {
  id: string;
  answered: number;
  answeredBy: Record<AnsweredVia, number>;
  helpful: number;
  unhelpful: number;
  /** What was wrong, in the words of those who said "No" and wrote something, oldest first. */
  reasons: string[];
  /** Probes run from this article's buttons: how many, and how each ended. */
  probes: { total: number; outcomes: Record<string, number> };
  /** ISO time of the latest record about this article, or null. */
  lastSeen: string | null;
}

interface Vote {
  helpful: boolean;
  article: string;
  matchedOn: string | undefined;
}

function emptyStats(id: string): ArticleStats {
  return {
    id,
    answered: 0,
    answeredBy: Object.fromEntries(ANSWERED_VIA.map((v) => [v, 0])) as Record<AnsweredVia, number>,
    helpful: 0,
    unhelpful: 0,
    reasons: [],
    probes: { total: 0, outcomes: {} },
    lastSeen: null,
  };
}

function bump(c: VoteCount, helpful: boolean, by: number): void {
  if (helpful) c.helpful += by;
  else c.unhelpful += by;
}

export class FeedbackTally {
  /** answer (channel/ts) -> user -> their latest vote. */
  private readonly votes = new Map<string, Map<string, Vote>>();
  private readonly perAnswer = new Map<string, VoteCount>();
  /** matchedOn -> article -> votes. */
  private readonly perKind = new Map<string, Map<string, VoteCount>>();
  private readonly perArticle = new Map<string, ArticleStats>();
  /** answer (channel/ts) -> what the answer was matched on, from its "answered" record. */
  private readonly answers = new Map<string, string>();

  constructor(records: Iterable<FeedbackRecord> = []) {
    for (const r of records) this.add(r);
  }

  private article(id: string): ArticleStats {
    let s = this.perArticle.get(id);
    if (!s) this.perArticle.set(id, (s = emptyStats(id)));
    return s;
  }

  add(r: FeedbackRecord): void {
    const s = this.article(r.article);
    if (s.lastSeen === null || r.at > s.lastSeen) s.lastSeen = r.at;
    if (r.type === "answered") {
      s.answered++;
      s.answeredBy[r.via]++;
      if (r.answer !== undefined && r.matchedOn !== undefined) this.answers.set(r.answer, r.matchedOn);
    } else if (r.type === "reason") {
      s.reasons.push(r.text);
    } else if (r.type === "probe") {
      s.probes.total++;
      s.probes.outcomes[r.outcome] = (s.probes.outcomes[r.outcome] ?? 0) + 1;
    } else {
      let byUser = this.votes.get(r.answer);
      if (!byUser) this.votes.set(r.answer, (byUser = new Map()));
      const before = byUser.get(r.user);
      if (before) this.count(r.answer, before, -1);
      const now: Vote = { helpful: r.helpful, article: r.article, matchedOn: r.matchedOn };
      byUser.set(r.user, now);
      this.count(r.answer, now, 1);
    }
  }

  private count(answer: string, v: Vote, by: number): void {
    let a = this.perAnswer.get(answer);
    if (!a) this.perAnswer.set(answer, (a = { helpful: 0, unhelpful: 0 }));
    bump(a, v.helpful, by);
    bump(this.article(v.article), v.helpful, by);
    if (v.matchedOn === undefined) return;
    let kind = this.perKind.get(v.matchedOn);
    if (!kind) this.perKind.set(v.matchedOn, (kind = new Map()));
    let c = kind.get(v.article);
    if (!c) kind.set(v.article, (c = { helpful: 0, unhelpful: 0 }));
    bump(c, v.helpful, by);
  }

  /** The votes on one answer: each person once, as they last voted. */
  votesOn(answer: string): VoteCount {
    return { ...(this.perAnswer.get(answer) ?? { helpful: 0, unhelpful: 0 }) };
  }

  /** What an answer was matched on, when the bot recorded it. */
  matchedOnOf(answer: string): string | undefined {
    return this.answers.get(answer);
  }

  /** How one person last voted on one answer, if they did. */
  voteOf(answer: string, user: string): boolean | undefined {
    return this.votes.get(answer)?.get(user)?.helpful;
  }

  /** Per article, the votes its answers got when matched on `matchedOn`. */
  votesByArticle(matchedOn: string): ReadonlyMap<string, VoteCount> {
    return this.perKind.get(matchedOn) ?? new Map();
  }

  /** Every article seen in the trail and every id in `known`, sorted by id. */
  stats(known: Iterable<string> = []): ArticleStats[] {
    const all = new Map(this.perArticle);
    for (const id of known) if (!all.has(id)) all.set(id, emptyStats(id));
    return [...all.values()].sort((a, b) => a.id.localeCompare(b.id)).map((s) => structuredClone(s));
  }
}
