// The feedback store on Redis, shared by every replica on one server (REDIS_URL). Every record goes to a
// stream, fb:trail, which `kb stats` folds like the file; what the bot reads back while it answers is kept
// beside it, so no replica has to fold the whole trail:
//   fb:votes:<answer>    hash  user -> "1" (helpful) or "0": each person once, as they last voted
//   fb:kind:<matchedOn>  hash  "<answer>|<user>" -> "1<article>" or "0<article>": votes per kind of paste
//   fb:matched:<answer>  string  what the answer was matched on, from its "answered" record
// A vote is a plain HSET, so a changed vote (on any replica) replaces the old one, and writing a vote twice
// (a replay after an outage) counts it once. Memory is bounded: the stream keeps about `maxLen` records
// (XADD MAXLEN ~) and every key expires `ttlMs` after it was last written. Keys carry the client's keyPrefix.
import type { Redis } from "ioredis";
import { toRecord, type FeedbackRecord } from "../feedback/records.js";
import type { VoteCount } from "../feedback/tally.js";
import type { FeedbackStore } from "./feedback.js";

export const FEEDBACK_STREAM = "fb:trail";
/** Records the stream keeps, about (Redis trims whole nodes). */
export const DEFAULT_FEEDBACK_MAXLEN = 100_000;
/** Keys expire this long after their last write: 90 days. */
export const DEFAULT_FEEDBACK_TTL_MS = 90 * 24 * 3600_000;

export interface RedisFeedbackOptions {
  maxLen?: number;
  ttlMs?: number;
}

const votesKey = (answer: string): string => `fb:votes:${answer}`;
const kindKey = (matchedOn: string): string => `fb:kind:${matchedOn}`;
const matchedKey = (answer: string): string => `fb:matched:${answer}`;

export class RedisFeedbackStore implements FeedbackStore {
  private readonly maxLen: number;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    opts: RedisFeedbackOptions = {},
  ) {
    this.maxLen = opts.maxLen ?? DEFAULT_FEEDBACK_MAXLEN;
    this.ttlMs = opts.ttlMs ?? DEFAULT_FEEDBACK_TTL_MS;
  }

  async append(rec: FeedbackRecord): Promise<void> {
    await this.appendAll([rec]);
  }

  /** Writes records in one MULTI: a record and the counts it changes land together or not at all. */
  async appendAll(recs: readonly FeedbackRecord[]): Promise<void> {
    if (!recs.length) return;
    const m = this.redis.multi();
    const ttl = this.ttlMs;
    for (const rec of recs) {
      m.xadd(FEEDBACK_STREAM, "MAXLEN", "~", this.maxLen, "*", "rec", JSON.stringify(rec));
      if (rec.type === "vote") {
        m.hset(votesKey(rec.answer), rec.user, rec.helpful ? "1" : "0").pexpire(votesKey(rec.answer), ttl);
        if (rec.matchedOn !== undefined) {
          m.hset(kindKey(rec.matchedOn), `${rec.answer}|${rec.user}`, `${rec.helpful ? "1" : "0"}${rec.article}`).pexpire(kindKey(rec.matchedOn), ttl);
        }
      } else if (rec.type === "answered" && rec.answer !== undefined && rec.matchedOn !== undefined) {
        m.set(matchedKey(rec.answer), rec.matchedOn, "PX", ttl);
      }
    }
    m.pexpire(FEEDBACK_STREAM, ttl);
    const results = (await m.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async votesOn(answer: string): Promise<VoteCount> {
    const votes = await this.redis.hvals(votesKey(answer));
    const helpful = votes.filter((v) => v === "1").length;
    return { helpful, unhelpful: votes.length - helpful };
  }

  async votesByArticle(matchedOn: string): Promise<ReadonlyMap<string, VoteCount>> {
    const byArticle = new Map<string, VoteCount>();
    for (const v of await this.redis.hvals(kindKey(matchedOn))) {
      const article = v.slice(1);
      let c = byArticle.get(article);
      if (!c) byArticle.set(article, (c = { helpful: 0, unhelpful: 0 }));
      if (v.startsWith("1")) c.helpful++;
      else c.unhelpful++;
    }
    return byArticle;
  }

  async matchedOnOf(answer: string): Promise<string | undefined> {
    return (await this.redis.get(matchedKey(answer))) ?? undefined;
  }

  /** Redis reports its failures on each call; nothing is kept here. */
  problems(): readonly string[] {
    return [];
  }

  /** The client belongs to whoever opened it (the shared state, or `kb stats`). */
  async close(): Promise<void> {}

  /** Every record still in the stream, oldest first, and the entries that are not records (for `kb stats`). */
  async records(page = 1000): Promise<{ records: FeedbackRecord[]; problems: string[] }> {
    const records: FeedbackRecord[] = [];
    const problems: string[] = [];
    let start = "-";
    for (;;) {
      const entries = await this.redis.xrange(FEEDBACK_STREAM, start, "+", "COUNT", page);
      for (const [id, fields] of entries) {
        const at = fields.indexOf("rec");
        const json = at >= 0 ? fields[at + 1] : undefined;
        let r: FeedbackRecord | string;
        try {
          r = toRecord(JSON.parse(json ?? ""));
        } catch {
          r = "not JSON";
        }
        if (typeof r === "string") problems.push(`${FEEDBACK_STREAM} entry ${id}: ${r}: ignored`);
        else records.push(r);
      }
      if (entries.length < page) return { records, problems };
      start = nextId(entries[entries.length - 1]![0]);
    }
  }
}

/** The smallest stream id after `id` ("ms-seq"): XRANGE's "(" for exclusive starts needs Redis 6.2. */
function nextId(id: string): string {
  const [ms, seq] = id.split("-");
  return `${ms}-${Number(seq ?? 0) + 1}`;
}
