import { describe, expect, it } from "vitest";
import { decodeEntities, normalise, stripSlackMarkup, MAX_INPUT_CHARS } from "../../src/match/normalise.js";

describe("normalise", () => {
  it("decodes the HTML escapes Slack applies to user text", () => {
    expect(decodeEntities("&lt;EventID&gt;11202&lt;/EventID&gt; &amp; it&apos;s &quot;x&quot;")).toBe('<EventID>11202</EventID> & it\'s "x"');
  });

  it("decodes double-escaped text once more, but no further", () => {
    expect(decodeEntities("&amp;lt;b&amp;gt;")).toBe("<b>");
    expect(decodeEntities("&amp;amp;amp;")).toBe("&amp;");
  });

  it("keeps link labels and drops mentions and broadcasts", () => {
    expect(stripSlackMarkup("see <http://x.example/kb|the KB> <@U123ABC> <!channel> <!subteam^S1|@ops> <#C42|mail>")).toBe("see the KB (http://x.example/kb)       #mail");
    expect(stripSlackMarkup("<https://x.test/kb/171435|https://x.test/kb/171435>")).toBe("https://x.test/kb/171435");
    expect(stripSlackMarkup("<mailto:a@b.c|a@b.c> <https://x.test/y>")).toBe("a@b.c https://x.test/y");
  });

  it("resolves markup before entities, so an escaped user '<' never becomes markup", () => {
    const n = normalise("&lt;@U999&gt; said <@U123> hi");
    expect(n.text).toBe("<@U999> said   hi");
  });

  it("drops quote markers, code fences, backticks and emphasis", () => {
    const n = normalise("&gt; *Event ID*: `11202`\n```\nS: -ERR _bad_\n```");
    expect(n.text).toBe("Event ID:  11202 \n\nS: -ERR bad");
  });

  it("drops a fence's language tag but not a word glued to the fence", () => {
    expect(normalise("```powershell\nGet-EventLog\n```").text).toBe("Get-EventLog");
    expect(normalise("```Logon attempt failed```").text).toBe("Logon attempt failed");
  });

  it("replaces control characters and lone surrogates with spaces", () => {
    const n = normalise("a\u0000b\u0007c\ud800d");
    expect(n.text).toBe("a b c d");
  });

  it("folds typographic quotes and dashes", () => {
    expect(normalise("\u201cit\u2019s\u201d \u2013 ok").text).toBe("\"it's\" - ok");
  });

  it("cuts very long input and says so", () => {
    const n = normalise("x".repeat(MAX_INPUT_CHARS + 10));
    expect(n.truncated).toBe(true);
    expect(n.text.length).toBe(MAX_INPUT_CHARS);
    expect(normalise("short").truncated).toBe(false);
  });

  it("lower-cases, drops blank leading lines and trailing space, keeps column indentation", () => {
    expect(normalise("\n  \n  MSExchangePOP3  \n").lower).toBe("  msexchangepop3");
  });
});
