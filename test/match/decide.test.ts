import { beforeAll, describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { createMatcher } from "../../src/match/index.js";
import { decide, sameFault, CHANNEL_ANSWER } from "../../src/match/decide.js";
import type { Matcher, Match } from "../../src/match/types.js";

let matcher: Matcher;
beforeAll(() => {
  matcher = createMatcher(loadKnowledge());
});

const art = (id: string) => matcher.byId(id)!;
const m = (id: string, score: number): Match => ({ article: art(id), score, evidence: [] });

describe("decide", () => {
  it("answers a confident channel paste and stays silent below the bar", () => {
    expect(decide([m("Q247764", 0.9)], "channel")).toBe("answer");
    expect(decide([m("Q247764", CHANNEL_ANSWER - 0.01)], "channel")).toBe("none");
    expect(decide([], "channel")).toBe("none");
  });

  it("calls two close unrelated articles ambiguous in command mode and stays silent in a channel", () => {
    const close = [m("Q247764", 0.7), m("E2007-1020", 0.68)];
    expect(decide(close, "command")).toBe("ambiguous");
    expect(decide([m("Q247764", 0.9), m("E2007-1020", 0.88)], "channel")).toBe("none");
  });

  it("does not treat two articles about one fault as a real choice", () => {
    expect(sameFault(art("Q171435"), art("Q189732"))).toBe(true);
    expect(sameFault(art("Q171435"), art("Q247764"))).toBe(false);
    expect(decide([m("Q171435", 0.9), m("Q189732", 0.9)], "channel")).toBe("answer");
    expect(decide([m("Q171435", 0.7), m("Q189732", 0.7)], "command")).toBe("answer");
  });

  it("gives command mode a low-confidence answer or a pick list, and none below that", () => {
    expect(decide([m("Q247764", 0.4)], "command")).toBe("answer");
    expect(decide([m("Q247764", 0.4), m("E2007-1020", 0.35)], "command")).toBe("ambiguous");
    expect(decide([m("Q247764", 0.2)], "command")).toBe("none");
  });
});

describe("matcher", () => {
  it("takes an article id typed after /exchange, KB number or not", () => {
    expect(matcher.match("E2007-1020", "command").matches[0]?.article.id).toBe("E2007-1020");
    expect(matcher.match("e2007-1020", "command").decision).toBe("answer");
    expect(matcher.match("Q171435", "command").matches[0]!.evidence.filter((e) => e.kind === "kb")).toHaveLength(1);
  });

  it("looks identifiers up exactly: a neighbouring number finds nothing", () => {
    expect(matcher.match("13003", "command").decision).toBe("answer");
    expect(matcher.match("13002", "command").decision).toBe("none");
    expect(matcher.match("13002", "command").matches).toEqual([]);
  });

  it("refuses an event ID whose labelled source is someone else's", () => {
    const r = matcher.match("Event ID 1020 Source: Microsoft-Windows-Hyper-V-VMMS could not start", "channel");
    expect(r.decision).toBe("none");
    expect(matcher.match("Event ID 1020 Source: MSExchangeTransport", "channel").decision).toBe("answer");
    // Another Exchange source's event 11202 is not MSExchangePOP3's.
    expect(matcher.match("Event ID: 11202 Source: MSExchangeIS", "channel").decision).toBe("none");
    expect(matcher.match("Event ID: 11202 Source: MSExchange POP3", "channel").matches[0]?.evidence[0]?.detail).toMatch(/from MSExchangePOP3/);
  });

  it("scores in 0..1 with the best first, and explains itself", () => {
    const r = matcher.match("Event ID: 11202 Source: MSExchangePOP3 A required privilege is not held by the client", "channel");
    expect(r.decision).toBe("answer");
    expect(r.matches[0]!.article.id).toBe("Q171435");
    for (const x of r.matches) expect(x.score).toBeGreaterThanOrEqual(0), expect(x.score).toBeLessThanOrEqual(1);
    expect(r.matches.map((x) => x.score)).toEqual([...r.matches.map((x) => x.score)].sort((a, b) => b - a));
    expect(r.matches[0]!.evidence.map((e) => e.kind)).toEqual(expect.arrayContaining(["event", "phrase", "source"]));
  });

  it("ranks the article that also has the pasted event above one that only shares its phrase", () => {
    const paste = "Event Type: Failure Audit\nEvent Source: MSExchangePOP3\nEvent ID: 11202\nDescription: Logon attempt from to has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.";
    const r = matcher.match(paste, "channel");
    expect(r.matches.map((x) => x.article.id).slice(0, 2)).toEqual(["Q171435", "Q189732"]);
    expect(r.matches[0]!.score).toBeGreaterThan(r.matches[1]!.score);
  });

  it("does not answer a fragment made only of words another fault shares", () => {
    expect(matcher.match("HrLookupCredentials() call failed with error", "channel").decision).toBe("none");
    expect(matcher.match("The account provided valid credentials but is not authorized", "channel").matches[0]?.article.id).toBe("E2007-1020");
  });

  it("finds the telnet reply with typos but not a paraphrase in other words", () => {
    expect(matcher.match("S: -ERR A requird privlege is not hled by the cleint", "channel").decision).toBe("answer");
    expect(matcher.match("the client doesn't hold the privilege to approve budgets", "channel").decision).toBe("none");
  });

  it("offers close suggestions for an unknown command, and none for a number", () => {
    expect(matcher.match("88888", "command")).toEqual({ decision: "none", matches: [] });
    const r = matcher.match("pop3", "command");
    expect(r.decision).not.toBe("none");
    expect(r.matches.length).toBeGreaterThan(1);
  });

  it("counts a typed word one edit from a knowledge word for less than the word itself", () => {
    // "help" is one letter from "held": alone it is a suggestion, not an answer.
    expect(matcher.match("help", "command").decision).toBe("none");
    expect(matcher.match("privlege", "command").decision).toBe("none");
    expect(matcher.match("required privlege not held", "command").matches[0]?.article.id).toBe("Q171435");
  });

  it("answers nothing for empty or symbol-only text", () => {
    expect(matcher.match("", "command").decision).toBe("none");
    expect(matcher.match("   \n\t ", "channel").decision).toBe("none");
    expect(matcher.match("!!! ??? ...", "channel").decision).toBe("none");
  });
});
