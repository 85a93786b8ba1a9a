// `exchange-bot kb new`: a real process writing into KNOWLEDGE_DIR, then `kb lint` and `lookup` on the result.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";

function cli(args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, "bin/exchange-bot.js"), ...args], { input, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "kb-new-"));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const PASTE = "Event Type: Warning\nEvent Source: MSExchangeTransport\nEvent ID: 1021\nDescription: Inbound authentication failed with error UnexpectedExchangeAuthBlobCheckForClockSkew for Receive connector Default\n";

describe("exchange-bot kb new", () => {
  it("writes a template from a pasted event into KNOWLEDGE_DIR that lints clean and answers lookups", () => {
    const kb = tempDir();
    const paste = join(tempDir(), "event.txt");
    writeFileSync(paste, PASTE);
    const r = cli(["kb", "new", "E2010-1021", "--from", paste], { KNOWLEDGE_DIR: kb });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const files = readdirSync(kb);
    expect(files).toEqual(["E2010-1021-event-1021-from-msexchangetransport-inbound.md"]);
    expect(r.out).toContain("From the paste: event 1021, source MSExchangeTransport, type Warning, the message.");
    const text = readFileSync(join(kb, files[0]!), "utf8");
    expect(text).toContain("  - id: 1021\n    source: \"MSExchangeTransport\"\n    type: \"Warning\"");
    const lint = cli(["kb", "lint"], { KNOWLEDGE_DIR: kb });
    expect(lint).toMatchObject({ code: 0, out: `1 file checked in ${kb}: 1 article loaded; no problems\n` });
    const lookup = cli(["lookup", "--json", "--mode", "channel"], { KNOWLEDGE_DIR: kb }, PASTE);
    expect(JSON.parse(lookup.out)).toMatchObject({ decision: "answer", matches: [{ id: "E2010-1021" }] });
  });

  it("writes a blank template without --from, and never overwrites or reuses an id", () => {
    const kb = tempDir();
    expect(cli(["kb", "new", "Q123456", "--title", "Public folders do not replicate"], { KNOWLEDGE_DIR: kb }).code).toBe(0);
    expect(readdirSync(kb)).toEqual(["Q123456-public-folders-do-not-replicate.md"]);
    const again = cli(["kb", "new", "Q123456"], { KNOWLEDGE_DIR: kb });
    expect(again.code).toBe(1);
    expect(again.err).toContain("Q123456 is already in Q123456-public-folders-do-not-replicate.md; nothing written");
    expect(cli(["kb", "lint"], { KNOWLEDGE_DIR: kb }).code).toBe(0);
  });

  it("says when the pasted event is a fault the base already has", () => {
    const r = cli(["kb", "new", "Q999999", "--from", "-"], {}, "Event ID: 11202\nSource: MSExchangePOP3\nType: Failure Audit\n");
    // No KNOWLEDGE_DIR: into the shipped folder, so clean it up whatever happens next.
    const written = join(PROJECT_ROOT, "knowledge", readdirSync(join(PROJECT_ROOT, "knowledge")).find((n) => n.startsWith("Q999999-")) ?? "none");
    rmSync(written, { force: true });
    expect(r.code).toBe(0);
    expect(r.out).toContain("Note: Q171435 (Q171435-pop3-logon-event-11202.md) has event 11202 MSExchangePOP3 too");
  });

  it("refuses a malformed id or option with a usage error", () => {
    const kb = tempDir();
    expect(cli(["kb", "new", "not an id"], { KNOWLEDGE_DIR: kb })).toMatchObject({ code: 2, err: expect.stringContaining("is not an article id") });
    expect(cli(["kb", "new", "Q123456", "--frm", "x"], { KNOWLEDGE_DIR: kb })).toMatchObject({ code: 2, err: expect.stringContaining("unknown option '--frm'") });
    expect(cli(["kb", "new", "Q123456", "--from", join(kb, "missing.txt")], { KNOWLEDGE_DIR: kb })).toMatchObject({ code: 2, err: expect.stringContaining("cannot read") });
    expect(readdirSync(kb)).toEqual([]);
  });
});
