// Context, variants, numbers and sources on two fixture articles: what makes the matcher confident, and what
// keeps it silent. The shipped articles are exercised by the case tables (eval-table.test.ts).
import { describe, expect, it } from "vitest";
import { lintKnowledge } from "../../src/knowledge/load.js";
import { createMatcher } from "../../src/match/index.js";
import type { Mode } from "../../src/match/types.js";

const dir = new URL("../fixtures/knowledge-matching/", import.meta.url).pathname;
const { articles, problems } = lintKnowledge(dir);
const matcher = createMatcher(articles);
const POP = "T000001-fixture";
const SMTP = "T000002-fixture";

function answer(text: string, mode: Mode = "channel"): string | undefined {
  const r = matcher.match(text, mode);
  return r.decision === "answer" ? r.matches[0]!.article.id : undefined;
}
function evidenceOf(text: string, mode: Mode = "channel"): string {
  return matcher.match(text, mode).matches[0]!.evidence.map((e) => e.detail).join("; ");
}

describe("fixture articles", () => {
  it("lint clean", () => {
    expect(problems).toEqual([]);
    expect(articles.map((a) => a.id)).toEqual([POP, SMTP]);
  });
});

describe("generic Windows messages", () => {
  it("count in a channel only beside the article's context, and say which context", () => {
    expect(answer("A required privilege is not held by the client.")).toBeUndefined();
    expect(answer("robocopy: ERROR 1314 (0x00000522) A required privilege is not held by the client.")).toBeUndefined();
    const pasted = "POP3 users on EXCH01 get: A required privilege is not held by the client.";
    expect(answer(pasted)).toBe(POP);
    expect(evidenceOf(pasted)).toContain('"A required privilege is not held by the client" (Windows message; context pop3)');
  });

  it("count as typed after /exchange, unless other words contradict them", () => {
    expect(answer("a required privilege is not held by the client", "command")).toBe(POP);
    expect(answer("python WinError 1314 a required privilege is not held by the client", "command")).toBeUndefined();
  });

  it("take the context nearest to them: another product's name nearer than ours wins", () => {
    expect(answer("POP3 is fine now. Meanwhile robocopy says A required privilege is not held by the client")).toBeUndefined();
    expect(answer("two things:\n1) mirror job: A required privilege is not held by the client\n2) POP3 on EXCH01 is fine again")).toBeUndefined();
  });

  it("belong to the program named on the error's own line, even with our context nearer on another line", () => {
    expect(answer("pywintypes.error: (1314, 'CreateProcessAsUser', 'A required privilege is not held by the client.')\nfrom the pop3 poller script")).toBeUndefined();
    // The same line naming our world, nearer than the other program, keeps it ours.
    expect(answer("the pywintypes noise is gone; now EXCH01 POP3 says: A required privilege is not held by the client.")).toBe(POP);
    expect(answer("EXCH01 POP3 log:\nA required privilege is not held by the client.")).toBe(POP);
  });

  it("match their localized variants as the same phrase, naming the language", () => {
    const de = "Quelle: MSExchangePOP3\nBeschreibung: Dem Client fehlt ein erforderliches Recht.";
    expect(answer(de)).toBe(POP);
    expect(evidenceOf(de)).toMatch(/"A required privilege is not h[^"]*" \(de; Windows message; context MSExchangePOP3\)/);
    // The answer's "matched …" line shows 80 characters of each piece of evidence: the context always fits.
    for (const e of matcher.match(de, "channel").matches[0]!.evidence) expect(Array.from(e.detail).length).toBeLessThanOrEqual(80);
    expect(answer("PASS geheim\n-ERR Le client ne dispose pas d'un privilege necessaire")).toBe(POP);
    expect(answer("Dem Client fehlt ein erforderliches Recht.")).toBeUndefined();
  });

  it("a code behind the message needs the context as well", () => {
    expect(answer("New-Item failed: 0x80070522")).toBeUndefined();
    expect(answer("pop3 logon returns 0x80070522 on the exchange box")).toBe(POP);
  });
});

describe("numbers", () => {
  it("count as events in a channel only where a label, an event line or a table says so", () => {
    expect(answer("Event ID: 11202\nSource: MSExchangePOP3")).toBe(POP);
    expect(answer("Ereignis-ID: 11202\nQuelle: MSExchangePOP3")).toBe(POP);
    expect(answer("MSExchangePOP3 11202 Failure Audit EXCH01")).toBe(POP);
    expect(answer("the invoice for the POP3 migration was 11202 EUR")).toBeUndefined();
    expect(answer("CHG 11202 approved for the POP3 cutover")).toBeUndefined();
    expect(answer("MSExchangePOP3 latency 11202 ms")).toBeUndefined();
    // A short line that opens with the number and names the source, as people type it in a hurry.
    expect(answer("11202 again on exch01, MSExchangePOP3")).toBe(POP);
    expect(answer("MSExchangePOP3 Queue Length (All Queues): 11202")).toBeUndefined();
    expect(answer("11202 connections on exch01 today, MSExchangePOP3 looks fine")).toBeUndefined();
    // Later on a line, a number beside the source's name is as often a value.
    expect(answer("MSExchangePOP3 max connections set to 11202? who did that")).toBeUndefined();
    expect(answer("MSExchangePOP3 restart scheduled for 11202 UTC")).toBeUndefined();
    expect(answer("Get-EventLog Application -Source MSExchangePOP3 -InstanceId 11202 returns nothing now")).toBeUndefined();
    expect(answer("MSExchangePOP3 had 11202 logons today")).toBeUndefined();
    // Beside it, a size, a duration or a rate is a quantity; a count of the event is not.
    expect(answer("MSExchangePOP3 11202 bytes per message avg? seems small")).toBeUndefined();
    expect(answer("MSExchangePOP3 11202 x 40 in the last hour")).toBe(POP);
    expect(answer("MSExchangePOP3 event 11202 Error, anyone?")).toBe(POP);
    // Several of that event, written as people do; but seconds stay seconds.
    expect(answer("same here, 11202s from MSExchangePOP3 on both boxes")).toBe(POP);
    expect(answer("seeing lots of 11202s (MSExchangePOP3) overnight")).toBe(POP);
    expect(answer("MSExchangePOP3 timed out after 11202s")).toBeUndefined();
    // "from" in other languages, and what a source does with a number.
    expect(answer("Avertissement 11202 de MSExchangePOP3 sur le serveur")).toBe(POP);
    expect(answer("Waarschuwing 11202 van MSExchangePOP3 op de server")).toBe(POP);
    expect(answer("why would MSExchangePOP3 log 11202?")).toBe(POP);
    expect(answer("*MSExchangePOP3* spamming *11202* again on EXCH01 :fire:")).toBe(POP);
  });

  it("read Event Viewer labels in more display languages, including scripts \\b does not see", () => {
    expect(answer("Bron: MSExchangePOP3\nGebeurtenis-id: 11202")).toBe(POP);
    expect(answer("Fonte: MSExchangePOP3\nIdentificação do Evento: 11202")).toBe(POP);
    expect(answer("Źródło: MSExchangePOP3\nIdentyfikator zdarzenia: 11202")).toBe(POP);
    expect(answer("ソース: MSExchangePOP3\nイベント ID: 11202")).toBe(POP);
    expect(answer("Источник: MSExchangePOP3\nКод события: 11202")).toBe(POP);
    expect(answer("Kaynak: MSExchangePOP3\nOlay Kimliği: 11202")).toBe(POP);
    expect(answer("Zdroj: MSExchangePOP3\nID události: 11202")).toBe(POP);
    expect(answer("来源: MSExchangePOP3\n事件 ID: 11202")).toBe(POP);
    expect(answer("원본: MSExchangePOP3\n이벤트 ID: 11202")).toBe(POP);
    expect(evidenceOf("ソース: MSExchangePOP3\nイベント ID: 11202")).toContain("localized Event ID");
    // A labelled source that is someone else's makes the number theirs, in any of these languages.
    for (const label of ["Bron", "Fonte", "Źródło", "Källa", "Kaynak", "Zdroj", "Источник", "ソース", "来源", "원본"]) {
      expect(answer(`${label}: ContosoAgent\nEvent ID: 11202`), label).toBeUndefined();
    }
    // A link after "fonte:" or "source:" says where a text came from, not which source logged an event.
    expect(answer("fonte: https://example.org/kb\nevento 11202 MSExchangePOP3")).toBe(POP);
  });

  it("take another vendor's name beside the number as that event's source, and only beside it", () => {
    expect(answer("Event 1020 from VMware Tools: guest heartbeat restored")).toBeUndefined();
    expect(answer("Veeam event 11202: job finished with warnings")).toBeUndefined();
    expect(answer("Event 1020 from MSExchangeTransport on HUB01")).toBe(SMTP);
    // Named elsewhere in the message, the vendor is only part of the story.
    expect(answer("event 11202 on the Exchange VM since VMware Tools was updated, MSExchangePOP3 logs it hourly")).toBe(POP);
  });

  it("read source-labelled IDs in SIEM formats and refuse other sources in each", () => {
    expect(answer("EventCode=11202 SourceName=MSExchangePOP3 Type=Failure Audit")).toBe(POP);
    expect(answer('{"EventID":11202,"SourceName":"MSExchangePOP3","Channel":"Application"}')).toBe(POP);
    expect(answer('{"winlog":{"event_id":"11202","provider_name":"MSExchangePOP3"}}')).toBe(POP);
    expect(answer("<13>Nov 25 09:14:02 EXCH01 MSWinEventLog#0111#011Application#011123#011Wed Nov 25 09:14:02 2026#01111202#011MSExchangePOP3#011N/A")).toBe(POP);
    expect(answer("EventCode=1020 SourceName=Microsoft-Windows-DHCP-Server Message=Scope is 95 percent full")).toBeUndefined();
    expect(answer('{"EventID":1020,"SourceName":"DhcpServer"}')).toBeUndefined();
  });

  it("in /exchange, a number with contradicting words gives no confident answer", () => {
    expect(answer("1020", "command")).toBe(SMTP);
    expect(answer("dhcp 1020", "command")).toBeUndefined();
    expect(answer("dhpc 1020", "command")).toBeUndefined();
    expect(answer("1020 ms", "command")).toBeUndefined();
    expect(answer("11202 marseille", "command")).toBeUndefined();
    expect(answer("evnet 11202", "command")).toBe(POP);
    expect(answer("Ereignis 11202", "command")).toBe(POP);
  });
});

describe("whose words they are", () => {
  const failure = "System error 1314 has occurred.\n\nA required privilege is not held by the client.";
  it("a context word inside an account name, a task path or a command-line switch is not context", () => {
    expect(answer(`net use Z: \\\\nas01\\mail /user:CONTOSO\\svc_pop3 *\n${failure}`)).toBeUndefined();
    expect(answer(`mapdrive.exe Z: /PASS:******\n${failure}`)).toBeUndefined();
    expect(answer(`Task history for \\Maint\\Cleanup\nPASS: 3 of 4\n${failure}`)).toBeUndefined();
    expect(answer(`PsExec \\\\pop3-gw01 -u corp\\admin cmd\nCouldn't access pop3-gw01:\n${failure}`)).toBeUndefined();
    expect(answer('Scheduled task "\\Mail\\POP3 Export" failed: A required privilege is not held by the client.')).toBeUndefined();
    // Said as words, the same context counts.
    expect(answer(`POP3 users on EXCH01 get: ${failure}`)).toBe(POP);
    expect(answer(`after PASS the server says: ${failure}`)).toBe(POP);
  });

  it("a line that opens with another program's name and a colon is that program's output", () => {
    expect(answer('hMailServer: "RECEIVED: -ERR A required privilege is not held by the client." on pop3 port 110')).toBeUndefined();
    expect(answer("Task Scheduler: Task failed to start for the POP3 export. A required privilege is not held by the client.")).toBeUndefined();
    expect(answer("2026-11-25 09:14:02 dovecot: pop3-login: A required privilege is not held by the client")).toBeUndefined();
    // Our own server's log prefix, or another product named later on the line, leaves it ours.
    expect(answer("EXCH01 POP3: A required privilege is not held by the client (users moved from hMailServer last week)")).toBe(POP);
  });

  it("another mail service named nearer the error than the context makes it that service's error", () => {
    expect(answer("scan to email: SMTP server smtp.gmail.com:587 - Authentication has failed.")).toBeUndefined();
    expect(answer("Receive connector on HUB01: Authentication has failed.")).toBe(SMTP);
  });
});

describe("/exchange with a code alone", () => {
  it("an article's Win32 code, or the SMTP reply its probe looks for, answers; in a channel neither does", () => {
    expect(answer("1314", "command")).toBe(POP);
    expect(answer("535 5.7.3", "command")).toBe(SMTP);
    expect(evidenceOf("535 5.7.3", "command")).toContain("Server reply 535 5.7.3");
    expect(answer("535 5.7.3 Authentication unsuccessful")).toBeUndefined();
    expect(answer("1315", "command")).toBeUndefined();
  });
});

describe("server replies", () => {
  it("a phrase with an SMTP status code is that reply only under the same code", () => {
    expect(answer("scanner can't send: 530 5.7.1 Client was not authenticated")).toBe(SMTP);
    expect(answer("SmtpException: The server response was: 5.7.1 Client was not authenticated")).toBe(SMTP);
    expect(answer("530 5.7.1 Client was not authenticated", "command")).toBe(SMTP);
    expect(answer("530 5.7.1", "command")).toBe(SMTP);
    // Another reply code before the same enhanced code is another refusal (550 5.7.1: relaying denied).
    expect(answer("550 5.7.1", "command")).toBeUndefined();
    expect(answer("550 5.7.1 Unable to relay")).toBeUndefined();
    // .NET's own wording before another server's refusal: the words are near, the code is not ours.
    const gmail = "SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.5.1 Authentication Required.";
    expect(answer(gmail)).toBeUndefined();
    expect(answer(gmail, "command")).toBeUndefined();
  });
});

describe("noise", () => {
  it("undoes OCR's digit and letter swaps in identifiers and sources", () => {
    expect(answer("Event ID: 1l202\nSource: MSExchangeP0P3")).toBe(POP);
    expect(answer("pop3: A requlred privi1ege is not he1d by the c1ient")).toBe(POP);
  });
});

describe("KB numbers", () => {
  it("are read from every support URL form and from a Slack link's address", () => {
    for (const url of ["https://support.microsoft.com/kb/171435", "http://support.microsoft.com/?kbid=171435", "http://support.microsoft.com/default.aspx?scid=kb;en-us;171435", "https://support.microsoft.com/en-us/help/171435"]) {
      expect(answer(url, "command"), url).toBe(POP);
    }
    expect(answer("see <https://support.microsoft.com/kb/171435|this article>", "command")).toBe(POP);
  });

  it("are not a prefixed name's Q number (a Wikidata item), nor a quote's or an item's", () => {
    expect(answer("SPARQL returns wd:Q171435 for that label, odd")).toBeUndefined();
    expect(answer("wikidata sync job: item Q171435 has no English label")).toBeUndefined();
    expect(answer("Quote Q171435 from the reseller for 50 Exchange Server CALs is approved")).toBeUndefined();
    expect(answer("Q171435", "command")).toBe(POP);
  });

  it("a KB number an article cites counts for the article citing it", () => {
    expect(answer("Q165186", "command")).toBe(SMTP);
    expect(evidenceOf("Q165186", "command")).toContain("cited by T000002-fixture");
  });
});
