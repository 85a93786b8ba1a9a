// Feedback in ranking with the real matcher over the fixture articles: votes reorder candidates for one
// kind of paste, and never turn silence into an answer.
import { describe, expect, it } from "vitest";
import { matchWithFeedback } from "../../src/feedback/rank.js";
import { MemoryFeedbackStore } from "../../src/state/feedback.js";
import { fixtureKnowledge } from "../helpers/knowledge.js";

const { matcher } = fixtureKnowledge();
const TELNET = "telnet mail 110\n+OK Microsoft Exchange POP3 server version 5.0.1457.10 ready\nUSER probe\n+OK\nPASS ****\n-ERR A required privilege is not held by the client";
const at = "2026-11-25T10:00:00.000Z";

async function votes(store: MemoryFeedbackStore, matchedOn: string, article: string, helpful: boolean, users: string[]): Promise<void> {
  for (const [i, user] of users.entries()) await store.append({ type: "vote", at, article, user, helpful, answer: `C1/${article}.${i}`, matchedOn });
}

describe("matchWithFeedback", () => {
  it("shows the same-fault article people found helpful for this kind of paste instead of the one they did not", async () => {
    const store = new MemoryFeedbackStore();
    const plain = await matchWithFeedback(matcher, store, TELNET, "channel");
    expect(plain.result.decision).toBe("answer");
    const first = plain.result.matches[0]!.article.id;
    const other = plain.result.matches.find((m) => m.article.id !== first && ["Q171435", "Q189732"].includes(m.article.id))!.article.id;
    await votes(store, plain.matchedOn!, first, false, ["U1", "U2"]);
    await votes(store, plain.matchedOn!, other, true, ["U3"]);
    const ranked = await matchWithFeedback(matcher, store, TELNET, "channel");
    expect(ranked.result.decision).toBe("answer");
    expect(ranked.result.matches[0]!.article.id).toBe(other);
    // Another kind of paste is not affected.
    expect((await matchWithFeedback(matcher, store, "/exchange 11202", "command")).result.matches[0]!.article.id).toBe("Q171435");
  });

  it("never answers chatter, however many people voted for an article", async () => {
    const store = new MemoryFeedbackStore();
    const chatter = "anyone up for lunch? the privilege of being on call again";
    const before = await matchWithFeedback(matcher, store, chatter, "channel");
    expect(before.result.decision).toBe("none");
    for (const id of ["Q171435", "Q189732", "Q247764", "E2007-1020"]) await votes(store, before.matchedOn ?? "channel|phrase|x", id, true, ["U1", "U2", "U3"]);
    expect((await matchWithFeedback(matcher, store, chatter, "channel")).result.decision).toBe("none");
  });
});
