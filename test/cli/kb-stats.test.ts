// `exchange-bot kb stats` over a recorded history, as a real process reading DATA_DIR like the bot.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";

const data = mkdtempSync(join(tmpdir(), "kb-stats-"));
copyFileSync(join(PROJECT_ROOT, "test/fixtures/feedback/history.jsonl"), join(data, "feedback.jsonl"));
afterAll(() => rmSync(data, { recursive: true, force: true }));

function stats(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, "bin/exchange-bot.js"), "kb", "stats", ...args], {
    encoding: "utf8",
    env: { ...process.env, KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE_DIR, DATA_DIR: data, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("exchange-bot kb stats", () => {
  it("--json prints one array, one object per article with the fields the issue names", () => {
    const r = stats(["--json"]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(Array.isArray(rows)).toBe(true);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    // Every article of the knowledge base, and the ids the history names that the base does not have.
    expect(rows.map((x) => x.id)).toEqual(["E2007-1020", "Q100001", "Q100002", "Q171435", "Q189732", "Q247764"]);
    for (const row of rows) expect(Object.keys(row)).toEqual(expect.arrayContaining(["id", "answered", "answeredBy", "helpful", "unhelpful", "reasons", "probes", "lastSeen"]));
    expect(rows.find((x) => x.id === "Q100001")).toMatchObject({
      answered: 3,
      answeredBy: { command: 1, paste: 1, shortcut: 1 },
      helpful: 3,
      unhelpful: 1,
      reasons: ["The steps skip the restart"],
      probes: { total: 2, outcomes: { fault: 1, ok: 1 } },
      lastSeen: "2026-11-25T10:30:00.000Z",
    });
    expect(rows.find((x) => x.id === "Q171435")).toMatchObject({ answered: 0, helpful: 0, lastSeen: null });
    // The history's broken lines are reported, not fatal.
    expect(r.err).toContain("feedback.jsonl:9: not JSON: ignored");
  });

  it("prints the same for people", () => {
    const r = stats([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("13 records in");
    expect(r.out).toMatch(/^Q100001 {2}\(not in the knowledge base\)\n {2}answered 3 \(command 1, paste 1, shortcut 1\) · helpful 3 · not helpful 1 · probes 2 \(fault 1, ok 1\) · last seen 2026-11-25T10:30:00.000Z\n {2}not helpful because: The steps skip the restart$/m);
  });

  it("says there is nothing yet for a DATA_DIR without a trail, and refuses unknown arguments", () => {
    const empty = mkdtempSync(join(tmpdir(), "kb-stats-empty-"));
    try {
      const r = stats(["--json"], { DATA_DIR: empty });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.out) as { answered: number }[]).every((x) => x.answered === 0)).toBe(true);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(stats(["--csv"])).toMatchObject({ code: 2, err: expect.stringContaining("unexpected argument '--csv'") });
  });
});
