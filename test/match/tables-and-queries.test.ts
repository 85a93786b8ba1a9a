// Issue 21 point 5, on the two fixture articles: event tables without a line of dashes (eventquery.vbs,
// Format-Table layouts) and their rows on their own, read by column with each row's own source; and command
// queries with a typo'd long word and a protocol command around the words that name the fault.
import { describe, expect, it } from "vitest";
import { lintKnowledge } from "../../src/knowledge/load.js";
import { createMatcher } from "../../src/match/index.js";
import type { Mode } from "../../src/match/types.js";

const dir = new URL("../fixtures/knowledge-matching/", import.meta.url).pathname;
const matcher = createMatcher(lintKnowledge(dir).articles);
const POP = "T000001-fixture";
const SMTP = "T000002-fixture";

function answer(text: string, mode: Mode = "channel"): string | undefined {
  const r = matcher.match(text, mode);
  return r.decision === "answer" ? r.matches[0]!.article.id : undefined;
}

const HEADER = "Type        Event  Date Time             Source                  ComputerName";
const row = (type: string, id: number, source: string) => `${type.padEnd(12)}${String(id).padEnd(7)}11/30/2026 10:02:03   ${source.padEnd(24)}EX01`;

describe("event tables by column", () => {
  it("our event under its source's column is an event line, whatever the other rows are", () => {
    const table = [HEADER, row("Information", 1000, "MsiInstaller"), row("Error", 11202, "MSExchangePOP3"), row("Warning", 4001, "Kerberos")].join("\n");
    expect(answer(table)).toBe(POP);
    const transport = [HEADER, row("Warning", 1020, "MSExchangeTransport"), row("Information", 7036, "Service Control Manager")].join("\n");
    expect(answer(transport)).toBe(SMTP);
  });

  it("our number in a row of another source is that source's event", () => {
    expect(answer([HEADER, row("Information", 11202, "MsiInstaller"), row("Error", 4001, "MSExchangePOP3")].join("\n"))).toBeUndefined();
    expect(answer([HEADER, row("Information", 1020, "Service Control Manager")].join("\n"))).toBeUndefined();
  });

  it("an eventquery row on its own reads the same way", () => {
    expect(answer(row("Error", 11202, "MSExchangePOP3"))).toBe(POP);
    expect(answer("Error 11202 11/30/2026 10:02:03 MSExchangePOP3 EX01")).toBe(POP);
    expect(answer(row("Information", 1020, "MsiInstaller"))).toBeUndefined();
  });

  it("a Format-Table table with dashes pairs each row with its own source too", () => {
    const head = "   Index Time          EntryType   Source                 InstanceID Message\n   ----- ----          ---------   ------                 ---------- -------";
    expect(answer(`${head}\n    9012 Nov 30 10:02  Warning     MSExchangeTransport          1020 The account ...`)).toBe(SMTP);
    expect(answer(`${head}\n    9011 Nov 30 10:01  Information MsiInstaller                 1020 Windows Installer reconfigured`)).toBeUndefined();
  });

  it("a sentence with the words event and source is not a header", () => {
    expect(answer("which event source should the new app use\n11202 maybe, or anything over 10000")).toBeUndefined();
  });
});

describe("command queries around the words that name the fault", () => {
  it("a typo'd long word and a protocol command still find the article", () => {
    expect(answer("pop3 privilage error after PASS", "command")).toBe(POP);
    expect(answer("pop3 privilege error after PASS", "command")).toBe(POP);
  });

  it("filler and commands alone find nothing, and a how-to question is not an error", () => {
    expect(answer("error after PASS", "command")).toBeUndefined();
    expect(answer("how do I enable pop3 for a user", "command")).toBeUndefined();
  });
});
