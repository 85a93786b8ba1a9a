// The feedback trail on disk: votes survive a restart, a process killed while writing leaves a readable
// file, a corrupt or unwritable file is reported and feedback goes on.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseHistory, type FeedbackRecord } from "../../src/feedback/records.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import { FEEDBACK_FILE, FileFeedbackStore } from "../../src/state/feedback-file.js";

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), "feedback-"));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const at = "2026-11-25T10:00:00.000Z";
const vote = (user: string, helpful: boolean, answer = "C1/1.000100"): FeedbackRecord => ({ type: "vote", at, article: "Q100001", user, helpful, answer, matchedOn: "channel|event|event id 100" });

describe("the feedback file", () => {
  it("keeps votes across a restart: each person once, as they last voted", async () => {
    const d = dataDir();
    const first = FileFeedbackStore.open(join(d, "nested"));
    await first.append(vote("U1", false));
    await first.append(vote("U2", true));
    await first.close();
    const second = FileFeedbackStore.open(join(d, "nested"));
    expect(await second.votesOn("C1/1.000100")).toEqual({ helpful: 1, unhelpful: 1 });
    await second.append(vote("U1", true));
    await second.close();
    const third = FileFeedbackStore.open(join(d, "nested"));
    expect(await third.votesOn("C1/1.000100")).toEqual({ helpful: 2, unhelpful: 0 });
    expect((await third.votesByArticle("channel|event|event id 100")).get("Q100001")).toEqual({ helpful: 2, unhelpful: 0 });
    expect(third.problems()).toEqual([]);
    await third.close();
    expect(statSync(join(d, "nested", FEEDBACK_FILE)).mode & 0o777).toBe(0o600);
  });

  it("reports a cut-short last line and a corrupt one, keeps the rest, and starts the next record on its own line", async () => {
    const d = dataDir();
    const path = join(d, FEEDBACK_FILE);
    writeFileSync(path, `${JSON.stringify(vote("U1", true))}\nnot json at all\n${JSON.stringify(vote("U2", true)).slice(0, 25)}`);
    const store = FileFeedbackStore.open(d);
    expect(store.problems()).toEqual([`${path}:2: not JSON: ignored`, `${path}:3: the last line is cut short (the bot stopped while writing it): ignored`]);
    expect(await store.votesOn("C1/1.000100")).toEqual({ helpful: 1, unhelpful: 0 });
    await store.append(vote("U3", false));
    await store.close();
    const { records, problems } = parseHistory(readFileSync(path, "utf8"));
    expect(records.map((r) => (r.type === "vote" ? r.user : r.type))).toEqual(["U1", "U3"]);
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it("goes on in memory when the file cannot be written, and says so", async () => {
    const d = dataDir();
    mkdirSync(join(d, FEEDBACK_FILE));
    const store = FileFeedbackStore.open(d);
    expect(store.problems().join("\n")).toMatch(/cannot (read|write) .*feedback\.jsonl \(EISDIR\)/);
    await store.append(vote("U1", true));
    expect(await store.votesOn("C1/1.000100")).toEqual({ helpful: 1, unhelpful: 0 });
  });

  it("is readable after the writing process is killed mid-stream", async () => {
    const d = dataDir();
    const path = join(d, FEEDBACK_FILE);
    const module = join(PROJECT_ROOT, "dist/src/state/feedback-file.js");
    expect(existsSync(module), "npm test builds dist/ before running the tests").toBe(true);
    // Long records, written as fast as the process can: SIGKILL lands while one is being written.
    const script = `
      const { FileFeedbackStore } = await import(${JSON.stringify(module)});
      const store = FileFeedbackStore.open(${JSON.stringify(d)});
      const text = "x".repeat(1900);
      for (let i = 0; ; i++) await store.append({ type: "reason", at: new Date().toISOString(), article: "Q100001", user: "U" + i, answer: "C1/1.000100", text });
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    const deadline = Date.now() + 30_000;
    while ((existsSync(path) ? statSync(path).size : 0) < 2_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const text = readFileSync(path, "utf8");
    const { records, problems } = parseHistory(text);
    expect(records.length).toBeGreaterThan(500);
    // At most the last line can be cut short; every other line is a whole record.
    expect(problems.length).toBeLessThanOrEqual(1);
    if (problems.length) expect(problems[0]).toMatchObject({ line: text.split("\n").length, message: expect.stringContaining("cut short") });
    // The next run reads it and writes on, on a line of its own.
    const store = FileFeedbackStore.open(d);
    await store.append(vote("U1", true));
    await store.close();
    const again = parseHistory(readFileSync(path, "utf8"));
    expect(again.records).toHaveLength(records.length + 1);
    expect(again.records.at(-1)).toEqual(vote("U1", true));
  });
});
