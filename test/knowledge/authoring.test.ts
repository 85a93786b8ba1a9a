// Authoring: the template `kb new` writes, reading a pasted event, and what `kb lint` says and where.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatProblem } from "../../src/knowledge/errors.js";
import { parsePastedEvent } from "../../src/knowledge/from-event.js";
import { lintKnowledge } from "../../src/knowledge/load.js";
import { articleTemplate, slugOf } from "../../src/knowledge/template.js";

const dirs: string[] = [];
function kbDir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "kb-author-"));
  dirs.push(d);
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A small valid article; `extra` lines go into the front matter as written. */
function article(id: string, o: { phrase?: string; steps?: string[]; related?: string[]; extra?: string[] } = {}): string {
  return [
    "---",
    `id: ${id}`,
    `title: "Article ${id} about a fault"`,
    "products:",
    "  - name: Microsoft Exchange Server",
    '    versions: ["5.5"]',
    "phrases:",
    `  - "${o.phrase ?? `The literal error text of ${id}`}"`,
    "symptoms:",
    '  - "Something fails."',
    "cause: >-",
    "  A cause that is long enough to explain the fault.",
    "resolution:",
    ...(o.steps ?? ["Do the first thing.", "Do the second thing."]).map((s) => `  - "${s}"`),
    ...(o.related ? [`related: [${o.related.join(", ")}]`] : []),
    "sources:",
    "  - url: https://example.invalid/fixture",
    '    title: "Fixture page"',
    ...(o.extra ?? []),
    "---",
    "# The long form",
    "",
    "Enough words for a body that is not empty.",
    "",
  ].join("\n");
}

const VIEWER_PASTE = `Event Type: Failure Audit
Event Source: MSExchangePOP3
Event Category: None
Event ID: 11202
Date: 11/25/2026
Description: Logon attempt from <192.168.1.20> to <POP3> has failed: HrLookupCredentials()
 call failed with error: A required privilege is not held by the client.
`;

describe("kb new's template", () => {
  it("passes lint as written, with no event and with a pasted one, next to other articles", () => {
    const d = kbDir({
      "Q100001-a.md": article("Q100001"),
      "Q555555-blank.md": articleTemplate({ id: "Q555555" }),
      "E2019-1020-from-paste.md": articleTemplate({ id: "E2019-1020", event: parsePastedEvent(VIEWER_PASTE) }),
    });
    const r = lintKnowledge(d);
    expect(r.problems).toEqual([]);
    expect(r.articles.map((a) => a.id).sort()).toEqual(["E2019-1020", "Q100001", "Q555555"]);
    const fromPaste = r.articles.find((a) => a.id === "E2019-1020")!;
    expect(fromPaste.events).toEqual([{ id: 11202, source: "MSExchangePOP3", type: "Failure Audit" }]);
    expect(fromPaste.phrases[0]).toBe("Logon attempt from <192.168.1.20> to <POP3> has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.");
    // Optional fields really are optional: the template leaves probe out.
    expect(fromPaste.probe).toEqual({ kind: "none", signatures: [] });
  });

  it("keeps a message with quotes, backslashes and a colon valid YAML", () => {
    const event = { id: 9646, source: "MSExchangeIS", type: "Error", message: 'Mapi session "/o=Org\\cn=x" exceeded: # of "objtFolder" {500}' };
    const r = lintKnowledge(kbDir({ "x.md": articleTemplate({ id: "E2007-9646", event }) }));
    expect(r.problems).toEqual([]);
    expect(r.articles[0]!.phrases[0]).toBe(event.message);
  });

  it("names the file after the id and a slug of the title", () => {
    expect(slugOf("POP3 logon fails: event 11202 (again)!")).toBe("pop3-logon-fails-event-11202-again");
    expect(slugOf("!!!")).toBe("article");
  });
});

describe("reading a pasted event", () => {
  it("reads the old Event Viewer copy, multi-line description included", () => {
    expect(parsePastedEvent(VIEWER_PASTE)).toEqual({
      id: 11202,
      source: "MSExchangePOP3",
      type: "Failure Audit",
      message: "Logon attempt from <192.168.1.20> to <POP3> has failed: HrLookupCredentials() call failed with error: A required privilege is not held by the client.",
    });
  });

  it("reads the new Event Viewer copy, where an audit's outcome is in Keywords", () => {
    const paste = "Log Name: Security\nSource: MSExchangeTransport\nEvent ID: 1020\nTask Category: SmtpReceive\nLevel: Information\nKeywords: Audit Failure\nComputer: EX01\nDescription:\nThe account provided valid credentials\nbut is not authorized.\n";
    expect(parsePastedEvent(paste)).toEqual({ id: 1020, source: "MSExchangeTransport", type: "Failure Audit", category: "SmtpReceive", message: "The account provided valid credentials but is not authorized." });
  });

  it("reads Get-EventLog's list and the event XML", () => {
    expect(parsePastedEvent("EventID : 13003\nEntryType : Error\nSource : MSExchangePOP3\nMessage : Logon failure.\n")).toMatchObject({ id: 13003, type: "Error", source: "MSExchangePOP3", message: "Logon failure." });
    const xml = '<Event><System><Provider Name="MSExchangeTransport" /><EventID Qualifiers="32772">1020</EventID><Level>3</Level></System><RenderingInfo><Message>Not &lt;authorized&gt;.</Message></RenderingInfo></Event>';
    expect(parsePastedEvent(xml)).toEqual({ id: 1020, source: "MSExchangeTransport", type: "Warning", message: "Not <authorized>." });
  });

  it("returns nothing it cannot find from chatter", () => {
    expect(parsePastedEvent("hi all, is the mail server down?")).toEqual({});
  });
});

describe("kb lint", () => {
  it("counts lines and columns in the file, not in the front matter", () => {
    const broken = article("Q100001", { extra: ["probe:", "  kind: pop3", "  signatures:", "    - after: PASS", "      reply: -E", "      meening: typo"] });
    const r = lintKnowledge(kbDir({ "a.md": broken }));
    const lines = broken.split("\n");
    const p = r.problems.find((x) => x.field === "probe.signatures.0.meening")!;
    expect(lines[p.line! - 1]!.slice(p.column! - 1)).toBe("meening: typo");
    const reply = r.problems.find((x) => x.field === "probe.signatures.0.reply")!;
    expect(lines[reply.line! - 1]!.slice(reply.column! - 1)).toBe("-E");
    expect(formatProblem(p)).toBe(`a.md:${p.line}:${p.column}: probe.signatures.0.meening: ${p.message}`);
  });

  it("places YAML errors in the file too", () => {
    const text = "---\nid: Q100001\ntitle: [oops\nphrases: []\n---\nbody body body body body\n";
    const [p] = lintKnowledge(kbDir({ "y.md": text })).problems;
    expect(p).toMatchObject({ file: "y.md", field: "(front matter)", message: expect.stringContaining("YAML does not parse") });
    expect(p!.message).not.toMatch(/at line/);
    expect(p!.line).toBeGreaterThanOrEqual(3);
  });

  it("reports one broken file once, not again as a related id that points nowhere", () => {
    const d = kbDir({ "Q100001-a.md": article("Q100001", { related: ["Q100002"] }), "Q100002-b.md": "---\nid: Q100002\ntitle: [broken\n---\nbody\n" });
    const r = lintKnowledge(d);
    expect(r.problems.map((p) => p.file)).toEqual(["Q100002-b.md"]);
    expect(r.files).toBe(2);
    expect(r.articles).toHaveLength(1);
    // A related id that really is missing is still reported, at its place.
    const text = article("Q100001", { related: ["Q100003"] });
    const r2 = lintKnowledge(kbDir({ "Q100001-a.md": text }));
    expect(r2.problems).toEqual([expect.objectContaining({ field: "related.0", message: "no article has id Q100003" })]);
    const { line, column } = r2.problems[0]!;
    expect(text.split("\n")[line! - 1]!.slice(column! - 1)).toBe("Q100003]");
  });

  it("does not count the folder's README as an article", () => {
    const r = lintKnowledge(kbDir({ "README.md": "# How to write an article\n", "Q100001-a.md": article("Q100001") }));
    expect(r).toMatchObject({ files: 1, problems: [] });
  });

  it("refuses two articles about the same fault that give different steps, naming the step that differs", () => {
    const shared = "A required privilege is not held by the client";
    const b = article("Q100002", { phrase: shared, steps: ["Grant the right.", "Click OK.", "Restart the server."] });
    const d = kbDir({ "Q100001-a.md": article("Q100001", { phrase: shared, steps: ["Grant the right.", "Click OK."] }), "Q100002-b.md": b });
    const r = lintKnowledge(d);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: "Q100002-b.md", field: "resolution" });
    expect(b.split("\n")[r.problems[0]!.line! - 1]).toBe('  - "Grant the right."');
    expect(r.problems[0]!.message).toContain(`same fault as Q100001`);
    expect(r.problems[0]!.message).toContain(`the phrase "${shared}"`);
    expect(r.problems[0]!.message).toContain('only this article says "Restart the server."');
  });

  it("lets same-fault articles word a step differently in case, spacing and the closing full stop", () => {
    const shared = "A required privilege is not held by the client";
    const d = kbDir({
      "Q100001-a.md": article("Q100001", { phrase: shared, steps: ["Grant the right.", "Click  OK."] }),
      "Q100002-b.md": article("Q100002", { phrase: shared, steps: ["grant the right", "Click OK"] }),
      "Q100003-c.md": article("Q100003", { steps: ["Something else entirely."] }),
    });
    expect(lintKnowledge(d).problems).toEqual([]);
  });

  it("drops an article's own id from its references and needs no probe", () => {
    const [a] = lintKnowledge(kbDir({ "a.md": article("Q100001", { extra: ["references: [Q100001, Q165186]"] }) })).articles;
    expect(a!.references).toEqual(["Q165186"]);
    expect(a!.probe.kind).toBe("none");
  });
});
