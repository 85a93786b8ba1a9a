// Diagnosis comes from the knowledge base's probe signatures, not from ids written into the probe.
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/knowledge/schema.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { diagnose, signatureMatches, type ReplyRecord } from "../../src/probe/diagnose.js";
import { parseReply } from "../../src/probe/protocols/pop3-reply.js";

const articles = fixtureArticles();

function rec(after: ReplyRecord["after"], line: string): ReplyRecord {
  const reply = parseReply(line);
  if (!reply) throw new Error(`not a reply: ${line}`);
  return { after, reply };
}

const base = { findings: [], fault: true, okSummary: "fine" };

describe("signatures from knowledge/*.md", () => {
  it("every pop3 article's own signature matches the reply it describes, after its command", () => {
    const pop3 = articles.filter((a) => a.probe.kind === "pop3" && a.probe.signatures.length > 0);
    expect(pop3.length).toBeGreaterThanOrEqual(3);
    for (const a of pop3) {
      for (const sig of a.probe.signatures) {
        // As a server sends it: trailing full stop, different case.
        const d = diagnose({ ...base, articles, replies: [rec(sig.after, `${sig.reply.toUpperCase().replace(/^-ERR/, "-ERR")}.`)] });
        expect(d.articles).toContain(a.id);
      }
    }
  });

  it("matches only after the right command: the privilege text after USER is not Q171435", () => {
    const line = "-ERR A required privilege is not held by the client.";
    expect(diagnose({ ...base, articles, replies: [rec("PASS", line)] }).articles).toEqual(["Q171435", "Q189732"]);
    expect(diagnose({ ...base, articles, replies: [rec("AUTH", line)] }).articles).toEqual(["Q171435", "Q189732"]);
    expect(diagnose({ ...base, articles, replies: [rec("USER", line)] }).articles).toEqual([]);
    expect(diagnose({ ...base, articles, replies: [rec("PASS", "+OK A required privilege is not held by the client")] }).articles).toEqual([]);
  });

  it("follows the articles it is given: a new signature in a new article is picked up, a removed one is not", () => {
    const extra: Article = {
      ...articles[0]!,
      id: "Q999999",
      probe: { kind: "pop3", signatures: [{ after: "greeting", reply: "-ERR [SYS/TEMP] Too many connections", meaning: "Connection limit reached." }] },
    };
    const replies = [rec("greeting", "-ERR [SYS/TEMP] Too many connections from your address")];
    expect(diagnose({ ...base, articles: [...articles, extra], replies })).toMatchObject({ articles: ["Q999999"], summary: "Connection limit reached. (Q999999)" });
    expect(diagnose({ ...base, articles, replies }).articles).toEqual([]);
    const withoutSigs = articles.map((a) => ({ ...a, probe: { ...a.probe, signatures: [] } }));
    expect(diagnose({ ...base, articles: withoutSigs, replies: [rec("PASS", "-ERR Logon failure: unknown user name or bad password.")] }).articles).toEqual([]);
  });

  it("a signature with an extended code requires that code", () => {
    const sig = { after: "PASS" as const, reply: "-ERR [IN-USE] locked", meaning: "x" };
    expect(signatureMatches(sig, rec("PASS", "-ERR [IN-USE] Locked by another session"))).toBe(true);
    expect(signatureMatches(sig, rec("PASS", "-ERR Locked by another session"))).toBe(false);
  });

  it("no fault and no match: the run's own summary; a fault without a match: the failure", () => {
    expect(diagnose({ ...base, fault: false, articles, replies: [rec("PASS", "+OK")] })).toEqual({ summary: "fine", articles: [], findings: [] });
    const d = diagnose({ ...base, articles, replies: [], failure: "connection refused: nothing listens" });
    expect(d.summary).toBe("connection refused: nothing listens");
    expect(d.findings).toEqual(["connection refused: nothing listens"]);
  });
});
