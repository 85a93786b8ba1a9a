// The feedback trail folded: per-person votes, stats over a recorded history, ranking that never answers chatter.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseHistory, type FeedbackRecord } from "../../src/feedback/records.js";
import { matchedOn, rerank } from "../../src/feedback/rank.js";
import { FeedbackTally } from "../../src/feedback/tally.js";
import type { Article } from "../../src/knowledge/schema.js";
import type { Match, MatchResult } from "../../src/match/types.js";

const HISTORY = join(import.meta.dirname, "../fixtures/feedback/history.jsonl");

describe("a recorded feedback history", () => {
  const { records, problems } = parseHistory(readFileSync(HISTORY, "utf8"));

  it("reads every record and reports the broken lines by number", () => {
    expect(records).toHaveLength(13);
    expect(problems).toEqual([
      { line: 9, message: "not JSON: ignored" },
      { line: 13, message: "unknown record type: ignored" },
    ]);
  });

  it("adds up to the stats kb stats prints", () => {
    const stats = new FeedbackTally(records).stats(["Q100001", "Q100002", "Q100003"]);
    expect(stats).toEqual([
      {
        id: "Q100001",
        answered: 3,
        answeredBy: { command: 1, paste: 1, shortcut: 1, diagnosis: 0 },
        // U1 changed their mind (No, then Yes): one helpful vote, not one each way. U4 voted on another answer.
        helpful: 3,
        unhelpful: 1,
        reasons: ["The steps skip the restart"],
        probes: { total: 2, outcomes: { fault: 1, ok: 1 } },
        // U4's vote is older than the rest: last seen is the latest record, not the last line.
        lastSeen: "2026-11-25T10:30:00.000Z",
      },
      {
        id: "Q100002",
        answered: 1,
        answeredBy: { command: 0, paste: 1, shortcut: 0, diagnosis: 0 },
        helpful: 0,
        unhelpful: 0,
        reasons: [],
        probes: { total: 1, outcomes: { error: 1 } },
        lastSeen: "2026-11-25T11:00:00.000Z",
      },
      { id: "Q100003", answered: 0, answeredBy: { command: 0, paste: 0, shortcut: 0, diagnosis: 0 }, helpful: 0, unhelpful: 0, reasons: [], probes: { total: 0, outcomes: {} }, lastSeen: null },
    ]);
  });

  it("counts each person once per answer, as they last voted", () => {
    const t = new FeedbackTally(records);
    expect(t.votesOn("C1/1.000100")).toEqual({ helpful: 2, unhelpful: 1 });
    expect(t.voteOf("C1/1.000100", "U1")).toBe(true);
    expect(t.votesOn("C1/nothing")).toEqual({ helpful: 0, unhelpful: 0 });
  });
});

describe("parsing the trail", () => {
  it("reports a last line cut short as what a killed process leaves", () => {
    const ok: FeedbackRecord = { type: "answered", at: "2026-11-25T10:00:00.000Z", article: "Q100001", via: "paste" };
    const text = `${JSON.stringify(ok)}\n${JSON.stringify(ok).slice(0, 30)}`;
    expect(parseHistory(text)).toEqual({ records: [ok], problems: [{ line: 2, message: "the last line is cut short (the bot stopped while writing it): ignored" }] });
  });
});

function art(id: string, phrase: string, events: Article["events"] = []): Article {
  return { id, title: id, products: [], events, phrases: [phrase], context: [], keywords: [], codes: [], symptoms: [], cause: "", resolution: [], references: [], related: [], probe: { kind: "none", signatures: [] }, body: "", file: `${id}.md` };
}
const m = (a: Article, score: number): Match => ({ article: a, score, evidence: [{ kind: "phrase", detail: String(a.phrases[0]), weight: score }] });

describe("ranking by feedback", () => {
  const a = art("Q100001", "A required privilege is not held by the client");
  const b = art("Q100002", "A required privilege is not held by the client");
  const c = art("Q100003", "Something unrelated went wrong entirely");
  const answered: MatchResult = { decision: "answer", matches: [m(a, 0.97), m(b, 0.96), m(c, 0.4)] };
  const votes = (o: Record<string, [number, number]>) => new Map(Object.entries(o).map(([id, [helpful, unhelpful]]) => [id, { helpful, unhelpful }]));

  it("puts an article marked helpful for this kind of paste before one marked unhelpful", () => {
    const r = rerank(answered, "channel", votes({ Q100001: [0, 3], Q100002: [2, 0] }));
    expect(r.decision).toBe("answer");
    expect(r.matches.map((x) => x.article.id)).toEqual(["Q100002", "Q100001", "Q100003"]);
  });

  it("leaves the order alone while the first choice is not marked unhelpful, or nothing better is marked helpful", () => {
    expect(rerank(answered, "channel", votes({ Q100001: [1, 1], Q100002: [5, 0] }))).toBe(answered);
    expect(rerank(answered, "channel", votes({ Q100001: [0, 3] }))).toBe(answered);
    // A weak, unrelated candidate is not an answer, however helpful it was elsewhere.
    expect(rerank(answered, "channel", votes({ Q100001: [0, 3], Q100003: [9, 0] }))).toBe(answered);
  });

  it("never turns silence into an answer", () => {
    const chatter: MatchResult = { decision: "none", matches: [m(c, 0.6)] };
    expect(rerank(chatter, "channel", votes({ Q100003: [50, 0] }))).toBe(chatter);
  });

  it("keys a kind of paste on the mode and the first choice's strongest evidence", () => {
    expect(matchedOn(answered, "channel")).toBe("channel|phrase|a required privilege is not held by the client");
    expect(matchedOn({ decision: "none", matches: [] }, "channel")).toBeUndefined();
  });
});
