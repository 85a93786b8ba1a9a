// Issue 21 point 8, on fixture articles: a query that names a protocol fits an article that never mentions it
// less ("IMAP login fails" is not about a POP3 article), and a pick list is a choice between faults, so an
// article about the same fault as one listed above it is not offered beside it.
import { describe, expect, it } from "vitest";
import { lintKnowledge } from "../../src/knowledge/load.js";
import { createMatcher } from "../../src/match/index.js";

const dir = new URL("../fixtures/knowledge-protocols/", import.meta.url).pathname;
const { articles, problems } = lintKnowledge(dir);
const matcher = createMatcher(articles);
const scoreOf = (q: string, id: string) => matcher.match(q, "command").matches.find((m) => m.article.id === id)?.score ?? 0;

describe("protocols named in a query", () => {
  it("fixtures lint clean", () => expect(problems).toEqual([]));

  it("an article about another protocol scores half, so the one about the named protocol leads", () => {
    const r = matcher.match("imap logon fails", "command");
    expect(r.matches[0]!.article.id).toBe("P000002-fixture");
    expect(scoreOf("imap logon fails", "P000001-fixture")).toBeLessThan(scoreOf("logon fails for every user", "P000001-fixture") * 0.6);
    // No protocol named: nothing is held against either.
    expect(scoreOf("logon fails for every user", "P000001-fixture")).toBeCloseTo(scoreOf("logon fails for every user", "P000002-fixture"), 2);
  });

  it("a pick list offers one article per fault", () => {
    const r = matcher.match("pop3 logon fails", "command");
    expect(r.decision).toBe("ambiguous");
    const ids = r.matches.map((m) => m.article.id);
    expect(ids).toContain("P000001-fixture");
    expect(ids).toContain("P000004-fixture");
    // P000003 shares P000001's literal phrase: the same fault, so not a second option.
    expect(ids).not.toContain("P000003-fixture");
    expect(ids).not.toContain("P000002-fixture");
  });
});
