// Message templates (%1 placeholders), event symbols and server replies, on fixture articles: what an article's
// new fields let the matcher and the probe diagnosis recognise, and where they stay silent.
import { describe, expect, it } from "vitest";
import { lintKnowledge } from "../../src/knowledge/load.js";
import { createMatcher } from "../../src/match/index.js";
import type { Mode } from "../../src/match/types.js";
import { diagnose } from "../../src/probe/diagnose.js";
import { parseSmtpReply } from "../../src/probe/protocols/smtp-reply.js";
import { formatResult, resultJson } from "../../src/render/text.js";
import { headBlocks } from "../../src/render/answer.js";
import { PhraseIndex } from "../../src/match/fuzzy.js";

const dir = new URL("../fixtures/knowledge-templates/", import.meta.url).pathname;
const { articles, problems } = lintKnowledge(dir);
const matcher = createMatcher(articles);
const ONPREM = "T000003-fixture";
const CLOUD = "T000004-fixture";
const DRAFT = "T000005-fixture";

const top = (text: string, mode: Mode = "channel") => {
  const r = matcher.match(text, mode);
  return { decision: r.decision, id: r.matches[0]?.article.id, evidence: r.matches[0]?.evidence.map((e) => e.detail).join("; ") ?? "" };
};

describe("fixture articles", () => {
  it("lint clean", () => {
    expect(problems).toEqual([]);
    expect(articles.map((a) => a.id)).toEqual([ONPREM, CLOUD, DRAFT]);
  });

  it("a draft is linted but never answered, not even by its id, symbol or phrase", () => {
    for (const [q, mode] of [[DRAFT, "command"], ["FixtureDraftSymbol", "command"], ["The draft fixture phrase that nobody else uses at all", "channel"]] as const) {
      expect(matcher.match(q, mode).matches.map((m) => m.article.id)).not.toContain(DRAFT);
    }
    expect(matcher.byId(DRAFT)).toBeUndefined();
  });
});

describe("a message template", () => {
  const filled = "Inbound authentication failed with error LogonDenied for Receive connector Client Frontend EX01. The authentication mechanism is Login. The source IP address of the client who tried to authenticate to Microsoft Exchange is [10.1.2.3].";

  it("matches the text Event Viewer shows once its placeholders are filled, in a channel", () => {
    const r = top(filled);
    expect(r).toMatchObject({ decision: "answer", id: ONPREM });
    expect(r.evidence).toContain("Inbound authentication failed with error %1");
  });

  it("holds across a pasted line wrap between literal words, and with other text around it", () => {
    const wrapped = "hey team, EX01 keeps logging this:\nInbound authentication failed with error LogonDenied for Receive\nconnector Default Frontend EX01. The authentication mechanism is Ntlm.\nany idea?";
    expect(top(wrapped)).toMatchObject({ decision: "answer", id: ONPREM });
  });

  const index = new PhraseIndex(articles);
  const found = (text: string) => index.findTemplates(text.toLowerCase()).map((h) => [h.article, text.slice(h.start, h.end)]);

  it("is found whole, from its first literal word to its last", () => {
    // A value at the end is whatever stands there: the hit ends with the last literal run.
    expect(found(`x: ${filled}`)).toEqual([[0, filled.slice(0, filled.indexOf(" Login."))]]);
  });

  it("does not take a value that runs over a line break or past its bound", () => {
    const split = "Inbound authentication failed with error\n\nsomething else entirely\n\nfor Receive connector X. The authentication mechanism is Login.";
    const long = `Inbound authentication failed with error ${"x".repeat(400)} for Receive connector X. The authentication mechanism is Login.`;
    const empty = "Inbound authentication failed with error for Receive connector X. The authentication mechanism is Login.";
    for (const text of [split, long, empty]) expect(found(text)).toEqual([]);
  });

  it("a paste that repeats the first words endlessly finds nothing and still gets an answer", () => {
    const text = "Inbound authentication failed with error ".repeat(5000);
    expect(found(text)).toEqual([]);
    expect(["answer", "none", "ambiguous"]).toContain(matcher.match(text, "channel").decision);
  });
});

describe("an event's symbolic name", () => {
  it("typed alone after /exchange is answered like an id, in any case", () => {
    for (const q of ["FixtureReceiveAuthenticationFailed", "fixturereceiveauthenticationfailed"]) expect(top(q, "command")).toMatchObject({ decision: "answer", id: ONPREM, evidence: expect.stringContaining("Event 4035 (FixtureReceiveAuthenticationFailed)") });
  });

  it("names the event in a paste, but only as a whole word", () => {
    expect(top("alert: FixtureReceiveAuthenticationFailed on EX01 since 09:00")).toMatchObject({ decision: "answer", id: ONPREM });
    expect(top("alert: FixtureReceiveAuthenticationFailedX on EX01").id).not.toBe(ONPREM);
  });
});

describe("server replies", () => {
  it("/exchange with a reply two articles answer lists both, the one limited to a cloud server second", () => {
    const r = matcher.match("535 5.7.3", "command");
    expect(r.decision).toBe("ambiguous");
    expect(r.matches.map((m) => m.article.id)).toEqual([ONPREM, CLOUD]);
  });

  it("lookup's JSON carries each match's replies and product", () => {
    const j = resultJson(matcher.match("535 5.7.3", "command"));
    expect(j.matches.map((m) => [m.id, m.replies, m.product])).toEqual([
      [ONPREM, ["535 5.7.3 Authentication unsuccessful"], "exchange-server"],
      [CLOUD, ["535 5.7.3 Authentication unsuccessful"], "exchange-online"],
    ]);
  });

  it("a probe signature limited to some servers counts only when the host, greeting or reply names one", () => {
    const replies = (greeting: string) => [
      { after: "greeting", reply: parseSmtpReply(greeting)! },
      { after: "AUTH", reply: parseSmtpReply("535 5.7.3 Authentication unsuccessful")! },
    ];
    const run = (greeting: string, host: string) => diagnose({ protocol: "smtp", replies: replies(greeting), articles, host, findings: [], fault: true, okSummary: "" }).articles;
    expect(run("220 ex01.contoso.com Microsoft ESMTP MAIL Service ready", "ex01.contoso.com")).toEqual([ONPREM]);
    expect(run("220 BN8PR04CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready", "10.0.0.5")).toEqual([ONPREM, CLOUD]);
    expect(run("220 relay ready", "smtp.office365.com")).toEqual([ONPREM, CLOUD]);
  });
});

describe("an answer whose reply has several causes", () => {
  const cloud = articles.find((a) => a.id === CLOUD)!;
  const m = { article: cloud, score: 0.9, evidence: [] };

  it("in Slack starts with the check that tells them apart, then the cause, the causes in order and the dates", () => {
    const texts = headBlocks(m).map((b) => JSON.stringify(b));
    const at = (s: string) => texts.findIndex((t) => t.includes(s));
    expect(at("Check first")).toBeGreaterThan(0);
    expect(at("Check first")).toBeLessThan(at("*Cause*"));
    expect(at("*Cause*")).toBeLessThan(at("1. Wrong password: The same account fails to sign in on the web."));
    expect(texts[at("Possible causes")]).toContain("2. The tenant turned password logons off: The tenant setting shows them disabled. (see T000003-fixture)");
    expect(texts[at("Dates that change the advice")]).toContain("2026-12: Password logons are off by default for existing tenants.");
  });

  it("in the terminal the same order, and none of it for an article without the fields", () => {
    const out = formatResult({ decision: "answer", matches: [m] });
    expect(out.indexOf("Check first:")).toBeGreaterThan(0);
    expect(out.indexOf("Check first:")).toBeLessThan(out.indexOf("Cause:"));
    expect(out.indexOf("Possible causes, most likely first:")).toBeGreaterThan(out.indexOf("Cause:"));
    const plain = formatResult({ decision: "answer", matches: [{ article: articles[0]!, score: 0.9, evidence: [] }] });
    expect(plain).not.toMatch(/Check first|Possible causes|Dates that change/);
  });
});
