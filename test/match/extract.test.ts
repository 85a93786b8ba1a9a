import { describe, expect, it } from "vitest";
import { extract } from "../../src/match/extract.js";
import { normalise } from "../../src/match/normalise.js";

const ex = (raw: string) => {
  const n = normalise(raw);
  return extract(n.text, n.lower);
};
const labelled = (raw: string) => ex(raw).events.filter((e) => e.strength === "labelled").map((e) => e.id);

describe("extract: event IDs", () => {
  it("reads labelled event IDs in the forms admins paste", () => {
    expect(labelled("Event ID: 11202")).toContain(11202);
    expect(labelled("Event Id11202")).toContain(11202);
    expect(labelled("EventID=13003")).toContain(13003);
    expect(labelled("event 1020 on HUB01")).toContain(1020);
    expect(labelled("Event IDs 11202, 13003 and 1020")).toEqual(expect.arrayContaining([11202, 13003, 1020]));
    expect(labelled('<EventID Qualifiers="49152">11202</EventID>')).toContain(11202);
    expect(labelled("&lt;EventID&gt;13003&lt;/EventID&gt;")).toContain(13003);
    expect(labelled('{"EventID": 1020}')).toContain(1020);
    expect(labelled("EventCode=11202 SourceName=MSExchangePOP3")).toContain(11202);
  });

  it("reads the Id column of PowerShell list and table output", () => {
    expect(labelled("ProviderName : MSExchangePOP3\nId           : 13003\nMessage : x")).toContain(13003);
    const table = [
      "TimeCreated                     Id LevelDisplayName Message",
      "-----------                     -- ---------------- -------",
      "11/25/2026 9:20:11 AM        13003 Error            Logon failure",
    ].join("\n");
    expect(labelled(table)).toEqual([13003]);
  });

  it("takes the low 16 bits of Get-EventLog's InstanceID", () => {
    const table = [
      "   Index Time          EntryType   Source                 InstanceID Message",
      "   ----- ----          ---------   ------                 ---------- -------",
      "   48213 Nov 25 09:14  FailureA... MSExchangePOP3         3221236674 Logon attempt",
    ].join("\n");
    expect(labelled(table)).toEqual([11202]);
  });

  it("treats unlabelled numbers as bare, and skips numbers that name other things", () => {
    const e = ex("seeing 11202 again");
    expect(e.events).toEqual([{ id: 11202, strength: "bare", via: "number" }]);
    expect(ex("merged PR 11202").events).toEqual([]);
    expect(ex("ticket #13003").events).toEqual([]);
    expect(ex("at 10.0.11.202 on 11/25/2026 09:14:02 v5.5.1020").events).toEqual([]);
  });
});

describe("extract: other identifiers", () => {
  it("finds KB numbers written every usual way", () => {
    expect(ex("see Q171435, KB189732, kb 247764 and KB-165186").kbs).toEqual(["Q171435", "Q189732", "Q247764", "Q165186"]);
    expect(ex("Article ID: Q171435").kbs).toEqual(["Q171435"]);
    expect(ex("see <https://support.example/kb/247764>").kbs).toEqual(["Q247764"]);
  });

  it("finds sources, HRESULTs, SMTP status codes and POP3 replies", () => {
    const e = ex("Source: MSExchangePOP3 0x80070522 550 5.7.1 denied\nS: -ERR A required privilege is not held by the client.\n+OK ready");
    expect(e.sources).toContain("msexchangepop3");
    expect(e.hresults).toEqual(["0x80070522"]);
    expect(e.smtpCodes).toEqual(["5.7.1"]);
    expect(e.pop3Replies).toEqual(["-ERR A required privilege is not held by the client.", "+OK ready"]);
  });

  it("tells labelled sources from mentions, and joins a spaced MSExchange name", () => {
    const e = ex("Source: MSExchange POP3 (restarted MSExchangeIS too); MSExchange is fine");
    expect(e.labelledSources).toEqual(["msexchangepop3"]);
    expect(e.sources).toEqual(["msexchangepop3", "msexchangeis"]);
  });

  it("names a non-Exchange labelled source so an event ID collision can be refused", () => {
    expect(ex("Event ID 1020 Source: Microsoft-Windows-Hyper-V-VMMS").sources).toContain("microsoft-windows-hyper-v-vmms");
  });

  it("scores Exchange context from what the text talks about", () => {
    expect(ex("let's exchange ideas on the roadmap").context).toBe(0);
    expect(ex("telnet to the Exchange Server on port 110, POP3 says -ERR").context).toBe(1);
    expect(ex("S: -ERR nope").context).toBe(0.5);
    expect(ex("550 5.7.1 relay denied").context).toBe(0.5);
  });
});
