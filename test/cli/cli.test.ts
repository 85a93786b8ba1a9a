// The command line as other tools use it: the built launcher, real processes, real stdin.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";

/** KNOWLEDGE_DIR unset: the shipped base, for the smoke test and lint. */
const SHIPPED = { KNOWLEDGE_DIR: "" };

function cli(args: string[], input?: string | Buffer, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, "bin/exchange-bot.js"), ...args], {
    input,
    encoding: "utf8",
    maxBuffer: 32 << 20,
    // The fixture articles unless a test says otherwise: step text asserted here is the fixtures', not the shipped base's.
    env: { ...process.env, KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE_DIR, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("exchange-bot lookup", () => {
  it("prints title, cause and numbered steps for people", () => {
    const r = cli(["lookup", "11202"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^XFOR: POP3 logon fails and event 11202 is logged/);
    expect(r.out).toContain("Cause:");
    expect(r.out).toMatch(/Act as part of the operating system/);
    expect(r.out).toMatch(/^ {2}1\. Open User Manager for Domains\. Start → Programs → Administrative Tools → User Manager for Domains$/m);
    expect(r.out).toMatch(/^ {2}11\. /m);
    // A step's command is printed under it, indented.
    expect(r.out).toMatch(/^ {2}10\. Or grant the right.*\n {7}ntrights \+r SeTcbPrivilege/m);
  });

  it("reads standard input when no text is given, and honours --mode channel", () => {
    const r = cli(["lookup", "--mode", "channel", "--json"], "Event ID: 13003\nSource: MSExchangePOP3\n");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.decision).toBe("answer");
    expect(j.matches[0]).toMatchObject({ id: "Q247764", references: ["Q247764", "Q165186"], events: [{ id: 13003, source: "MSExchangePOP3" }] });
    expect(j.matches[0].score).toBeGreaterThan(0.9);
    expect(cli(["lookup", "--mode", "channel", "--json", "merged PR 11202"]).out).toBe('{"decision":"none","matches":[]}\n');
  });

  it("answers one JSON line per input line, in order, even for broken lines", () => {
    const input = ['{"text":"13003","mode":"command"}', "not json", '{"text":"good morning","mode":"channel"}', '{"text":"Q171435","mode":"command"}'].join("\n") + "\n";
    const r = cli(["lookup", "--jsonl"], input);
    const lines = r.out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.decision)).toEqual(["answer", "none", "none", "answer"]);
    expect(lines[0].matches[0].id).toBe("Q247764");
    expect(lines[3].matches[0].id).toBe("Q171435");
    expect(r.err).toMatch(/line 2: expected/);
    expect(r.code).toBe(1);
  });

  it("gives a clear usage error for empty, binary and oversized input", () => {
    for (const [input, msg] of [
      ["", /empty/],
      ["   \n", /empty/],
      [Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0, 0]), /binary/],
      ["x".repeat(5 << 20), /over 4 MB/],
    ] as const) {
      const r = cli(["lookup"], input);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      noStack(r.err);
    }
  });

  it("takes a 1 MB paste and still answers", () => {
    const paste = "noise line from a long log\n".repeat(30_000).slice(0, 900_000) + "Event ID: 11202\n";
    const r = cli(["lookup", "--json", "--mode", "channel"], "Event ID: 11202 Source: MSExchangePOP3\n" + paste);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).matches[0].id).toBe("Q171435");
  });

  it("exits 0 on an answer or a pick list, 1 when nothing matched, 2 on bad usage; did-you-mean for one typo", () => {
    expect(cli(["lookup", "11202"]).code).toBe(0);
    const pick = cli(["lookup", "pop3", "logon", "fails"]);
    expect(pick.code).toBe(0);
    // A pick list names its choices without a confidence each: none of them is the answer.
    expect(pick.out).toMatch(/^Several articles fit/);
    expect(pick.out).toMatch(/Q171435 .*\n[\s\S]*Q247764 /);
    expect(pick.out).not.toMatch(/\d%/);
    expect(JSON.parse(cli(["lookup", "--json", "pop3", "logon", "fails"]).out).matches.every((m: { score: unknown }) => typeof m.score === "number")).toBe(true);
    const none = cli(["lookup", "11203"]);
    expect(none.code).toBe(1);
    expect(none.out).toContain("Did you mean 11202 (Q171435)?");
    expect(JSON.parse(cli(["lookup", "--json", "Q171453"]).out)).toEqual({ decision: "none", matches: [], didYouMean: ["Q171435"] });
    expect(cli(["lookup", "--json", "good", "morning"]).code).toBe(1);
    expect(cli(["lookup", "--nope"]).code).toBe(2);
    // --jsonl keeps its codes: 0 unless an input line is malformed, whatever matched.
    expect(cli(["lookup", "--jsonl"], '{"text":"good morning"}\n').code).toBe(0);
  });

  it("--json adds each match's cause and steps, commands and paths included", () => {
    const j = JSON.parse(cli(["lookup", "--json", "11202"]).out);
    expect(j.matches[0].cause).toMatch(/Act as part of the operating system/);
    expect(j.matches[0].steps[0]).toEqual({ text: "Open User Manager for Domains.", path: "Start → Programs → Administrative Tools → User Manager for Domains" });
    expect(j.matches[0].steps.find((s: { command?: string }) => s.command)?.command).toBe('ntrights +r SeTcbPrivilege -u "DOMAIN\\ExchangeService"');
    // Fields are only ever added: replies (and product, where the article names one) came with round three.
    expect(Object.keys(j.matches[0])).toEqual(["id", "title", "score", "references", "events", "replies", "product", "cause", "steps"]);
  });

  it("--version, help COMMAND and COMMAND --help with examples and exit codes", () => {
    expect(cli(["--version"]).out).toMatch(/^exchange-bot \d+\.\d+\.\d+\n$/);
    for (const args of [["help", "lookup"], ["lookup", "--help"]]) {
      const r = cli(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: exchange-bot lookup/);
      expect(r.out).toContain("Examples:");
      expect(r.out).toMatch(/Exit codes:[\s\S]*1 {2}nothing matched/);
    }
    expect(cli(["help", "probe"]).out).toMatch(/Exit codes:/);
    expect(cli(["help", "start"]).out).toMatch(/^Usage: exchange-bot start/);
    const bad = cli(["lookup", "--bogus"]);
    expect(bad.err).toBe("exchange-bot: unknown option '--bogus' for lookup\nRun 'exchange-bot help lookup' for usage.\n");
  });

  it("rejects unknown options and commands with exit 2", () => {
    expect(cli(["lookup", "--bogus", "x"]).code).toBe(2);
    expect(cli(["lookup", "--mode", "loud", "x"]).err).toMatch(/--mode takes/);
    const r = cli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'frobnicate'/);
  });
});

describe("exchange-bot kb and eval", () => {
  it("say when the folder or case file does not exist, without a count or a usage hint (exit 2)", () => {
    const missing = join(tmpdir(), "exchange-bot-no-such-folder");
    for (const [args, says] of [
      [["kb", "lint", missing], `${missing}: no such folder`],
      [["kb", "list", missing], `${missing}: no such folder`],
      [["kb", "lint", join(PROJECT_ROOT, "package.json")], "is a file, not a folder of articles"],
      [["eval", `${missing}.jsonl`], `${missing}.jsonl: no such file`],
      [["eval", tmpdir()], "is a folder, not a case file"],
    ] as const) {
      const r = cli([...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain(says);
      expect(r.out + r.err).not.toMatch(/files? checked|Run 'exchange-bot help/);
    }
  });

  it("lists the articles of KNOWLEDGE_DIR", () => {
    const list = cli(["kb", "list"]);
    expect(list.code).toBe(0);
    const lines = list.out.trim().split("\n");
    // Grouped by product and family: a "# " heading, then the group's articles.
    expect(lines.filter((l) => !l.startsWith("# "))).toHaveLength(4);
    expect(lines[0]).toMatch(/^# Exchange Server · \S+ \(\d+\)$/);
    expect(list.out).toMatch(/^Q171435 +11202\/MSExchangePOP3 +pop3 /m);
  });

  it("the shipped base lints clean and answers a lookup (smoke test)", () => {
    const lint = cli(["kb", "lint"], undefined, SHIPPED);
    expect(lint.code, lint.err).toBe(0);
    expect(lint.out).toContain(join(PROJECT_ROOT, "knowledge"));
    const r = cli(["lookup", "--json", "11202"], undefined, SHIPPED);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ decision: "answer", matches: [{ events: [{ id: 11202 }] }] });
  });

  it("fails lint with the file and field of a broken article", () => {
    const d = mkdtempSync(join(tmpdir(), "kb-"));
    try {
      writeFileSync(join(d, "broken.md"), "---\nid: Q123456\ntitle: x\n---\nbody\n");
      const r = cli(["kb", "lint", d]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/broken\.md:3:8: title: /);
      expect(r.err).toMatch(/broken\.md:2:1: cause: is required but missing/);
      expect(r.out).toBe(`1 file checked in ${d}: 0 articles loaded, 1 did not load; 6 problems in 1 file\n`);
      const start = cli(["lookup", "11202"], undefined, { KNOWLEDGE_DIR: d });
      expect(start.code).toBe(1);
      expect(start.err).toMatch(/broken\.md:3:8: title: /);
      noStack(start.err);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it("scores a case file and prints each miss", () => {
    const d = mkdtempSync(join(tmpdir(), "cases-"));
    try {
      const f = join(d, "c.jsonl");
      writeFileSync(f, ['{"mode":"command","expect":"13003","text":"13003"}', '{"mode":"channel","expect":"1020","text":"good morning"}'].join("\n"));
      const r = cli(["eval", f]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/miss #2 \[channel\] want 1020, got none -: "good morning"/);
      expect(r.out).toMatch(/answered right 1\/2 \(50\.0%\)/);
      expect(cli(["eval", join(PROJECT_ROOT, "test/fixtures/eval-sample.jsonl")]).code).toBe(0);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
