// Local mode reloads the knowledge folder when a file changes, and a file that does not lint is shown on
// the page (GET /local/knowledge, which the page polls) while the bot answers from the last good version.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startLocal, type LocalMode } from "../../src/app/local-mode.js";
import { articleTemplate } from "../../src/knowledge/template.js";
import { MemoryFeedbackStore } from "../../src/state/feedback.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";
import { localConfig } from "./config.js";

const dirs: string[] = [];
let local: LocalMode | undefined;
afterEach(async () => {
  await local?.stop();
  local = undefined;
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: local!.port, method: "GET", path, headers: { host: `localhost:${local!.port}` } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end();
  });
}

interface KnowledgeState {
  version: number;
  problems: string[];
  articles: number;
}

async function knowledgeWhen(ok: (k: KnowledgeState) => boolean, timeoutMs = 15_000): Promise<KnowledgeState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const k = (await get("/local/knowledge")).json as unknown as KnowledgeState;
    if (ok(k)) return k;
    if (Date.now() > until) throw new Error(`knowledge state never matched: ${JSON.stringify(k)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const NEW_EVENT = "Event Type: Error\nEvent Source: MSExchangeIS\nEvent ID: 9646\nDescription: Mapi session exceeded the maximum of 500 objects of type objtFolder.\n";

describe("local mode and the knowledge folder", () => {
  it("picks up a new article without a restart, and shows a broken one on the page while the last good version answers", async () => {
    const kb = tempDir("reload-kb-");
    cpSync(FIXTURE_KNOWLEDGE_DIR, kb, { recursive: true });
    local = await startLocal(localConfig(tempDir("reload-cwd-"), { KNOWLEDGE_DIR: kb }), { env: {}, log: () => undefined, feedback: new MemoryFeedbackStore() });
    const before = await knowledgeWhen(() => true);
    expect(before).toMatchObject({ version: 0, problems: [], articles: 4 });
    expect(local.bot.services.knowledge.byId("E2007-9646")).toBeUndefined();

    const file = join(kb, "E2007-9646-mapi-session-objects.md");
    const text = articleTemplate({ id: "E2007-9646", title: "Mapi session exceeded its folder objects", event: { id: 9646, source: "MSExchangeIS", type: "Error", message: "Mapi session exceeded the maximum of 500 objects of type objtFolder." } });
    writeFileSync(file, text);
    await knowledgeWhen((k) => k.version > before.version && k.articles === 5 && k.problems.length === 0);
    // The page's list of articles (its intro) is read from the reloaded folder too.
    const listed = (await get("/local/info")).json.articles as { id: string; title: string; try: string }[];
    expect(listed).toHaveLength(5);
    expect(listed).toContainEqual({ id: "E2007-9646", title: "Mapi session exceeded its folder objects", try: "/exchange 9646" });
    // The bot answers from the new folder: the matcher and the probe diagnosis both see it.
    expect(local.bot.services.knowledge.matcher.match(NEW_EVENT, "channel")).toMatchObject({ decision: "answer", matches: [{ article: { id: "E2007-9646" } }] });

    writeFileSync(file, text.replace('title: "Mapi session exceeded its folder objects"', "title: [broken"));
    const broken = await knowledgeWhen((k) => k.problems.length > 0);
    expect(broken.problems[0]).toMatch(/^E2007-9646-mapi-session-objects\.md:\d+:\d+: \(front matter\): YAML does not parse/);
    // The last good version still answers.
    expect(broken.articles).toBe(5);
    expect(local.bot.services.knowledge.byId("E2007-9646")?.title).toBe("Mapi session exceeded its folder objects");

    writeFileSync(file, text);
    await knowledgeWhen((k) => k.version > broken.version && k.problems.length === 0);
  });

  it("survives a YAML alias bomb dropped into the folder: the last good version answers and the log names the file", async () => {
    const kb = tempDir("reload-bomb-");
    cpSync(FIXTURE_KNOWLEDGE_DIR, kb, { recursive: true });
    const lines: Record<string, unknown>[] = [];
    local = await startLocal(localConfig(tempDir("reload-cwd-"), { KNOWLEDGE_DIR: kb }), { env: {}, log: (l) => void lines.push(l as Record<string, unknown>), feedback: new MemoryFeedbackStore() });
    const before = await knowledgeWhen(() => true);
    cpSync(join(FIXTURE_KNOWLEDGE_DIR, "..", "hostile", "alias-bomb.md"), join(kb, "Q999999-bomb.md"));
    const k = await knowledgeWhen((s) => s.version > before.version && s.problems.length > 0);
    expect(k.articles).toBe(4);
    expect(k.problems[0]).toMatch(/^Q999999-bomb\.md:4:\d+: \(front matter\): YAML does not parse: .*alias/i);
    expect(lines).toContainEqual(expect.objectContaining({ event: "knowledge_reload", files: ["Q999999-bomb.md"] }));
    expect(local.bot.services.knowledge.matcher.match(NEW_EVENT, "channel")).toBeDefined();
    expect((await get("/local/info")).status).toBe(200);
  });

  it("starts with a broken folder instead of stopping, and says what is wrong", async () => {
    const kb = tempDir("reload-broken-");
    cpSync(FIXTURE_KNOWLEDGE_DIR, kb, { recursive: true });
    writeFileSync(join(kb, "Q999999-broken.md"), "---\nid: Q999999\ntitle: x\n---\nbody\n");
    local = await startLocal(localConfig(tempDir("reload-cwd-"), { KNOWLEDGE_DIR: kb }), { env: {}, log: () => undefined, feedback: new MemoryFeedbackStore() });
    const k = await knowledgeWhen(() => true);
    expect(k.articles).toBe(4);
    expect(k.problems).toContain("Q999999-broken.md:3:8: title: Too small: expected string to have >=5 characters");
  });
});
