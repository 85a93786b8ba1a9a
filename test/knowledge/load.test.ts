import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lintKnowledge, loadKnowledge, parseArticle } from "../../src/knowledge/load.js";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/paths.js";
import { KnowledgeError } from "../../src/knowledge/errors.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";

const fixtures = Object.fromEntries(readdirSync(FIXTURE_KNOWLEDGE_DIR).filter((n) => n.endsWith(".md")).map((n) => [n, readFileSync(join(FIXTURE_KNOWLEDGE_DIR, n), "utf8")]));
const good = fixtures["Q247764-pop3-test-event-13003.md"]!;
const dirs: string[] = [];
function kbDir(files: Record<string, string | Buffer>): string {
  const d = mkdtempSync(join(tmpdir(), "kb-"));
  dirs.push(d);
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("knowledge base", () => {
  it("loads every fixture article with its identifiers, events, steps and probe signatures", () => {
    const articles = loadKnowledge(FIXTURE_KNOWLEDGE_DIR);
    const ids = articles.map((a) => a.id).sort();
    expect(ids).toEqual(["E2007-1020", "Q171435", "Q189732", "Q247764"]);
    const q171435 = articles.find((a) => a.id === "Q171435")!;
    expect(q171435.events).toEqual([{ id: 11202, source: "MSExchangePOP3", type: "Failure Audit" }]);
    expect(q171435.resolution).toHaveLength(11);
    // One fault, one set of steps: Q189732 shares Q171435's phrases, so it gives the same steps.
    expect(articles.find((a) => a.id === "Q189732")!.resolution).toEqual(q171435.resolution);
    expect(q171435.probe.signatures[0]).toMatchObject({ after: "PASS", reply: "-ERR A required privilege is not held by the client" });
    expect(articles.find((a) => a.id === "Q247764")!.references).toContain("Q165186");
    expect(articles.find((a) => a.id === "E2007-1020")!.events[0]).toMatchObject({ id: 1020, source: "MSExchangeTransport", type: "Warning" });
  });

  it("the shipped base lints clean", () => {
    const { problems, articles } = lintKnowledge(DEFAULT_KNOWLEDGE_DIR);
    expect(problems).toEqual([]);
    // Q171435 and Q189732 are one fault: the same steps, with Q189732's restart in both.
    const steps = (id: string) => articles.find((a) => a.id === id)!.resolution;
    expect(steps("Q189732")).toEqual(steps("Q171435"));
    expect(steps("Q171435").some((s) => s.startsWith("Restart the server"))).toBe(true);
  });
});

describe("broken knowledge files", () => {
  it("names the file and the field for a schema error", () => {
    const broken = good.replace("id: Q247764", "id: Q24776").replace(/cause: >-[\s\S]*?resolution:/, "resolution:");
    const { problems } = lintKnowledge(kbDir({ "bad.md": broken }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "bad.md", field: "id", message: expect.stringContaining("KB number") }),
        expect.objectContaining({ file: "bad.md", field: "cause", message: "is required but missing" }),
      ]),
    );
  });

  it("reports YAML that does not parse, a missing front matter, an empty body and a binary file", () => {
    const { problems } = lintKnowledge(
      kbDir({
        "yaml.md": "---\nid: [unclosed\n---\nbody text that is long enough\n",
        "nofm.md": "# just markdown\n",
        "empty.md": good.replace(/\n---\n[\s\S]*$/, "\n---\n"),
        "bin.md": Buffer.from([0x2d, 0x2d, 0x2d, 0x00, 0xff]),
      }),
    );
    const byFile = Object.fromEntries(problems.map((p) => [p.file, p]));
    expect(byFile["yaml.md"]).toMatchObject({ field: "(front matter)", message: expect.stringContaining("YAML does not parse") });
    expect(byFile["nofm.md"]).toMatchObject({ field: "(front matter)", message: expect.stringContaining("'---'") });
    expect(byFile["empty.md"]).toMatchObject({ field: "(body)" });
    expect(byFile["bin.md"]).toMatchObject({ field: "(file)", message: expect.stringContaining("binary") });
  });

  it("reports a YAML alias bomb as one more problem with its file and line, beside the other files' problems", () => {
    const bomb = readFileSync(join(FIXTURE_KNOWLEDGE_DIR, "..", "hostile", "alias-bomb.md"), "utf8");
    const started = Date.now();
    const { problems, articles } = lintKnowledge(kbDir({ "bomb.md": bomb, "ok.md": good, "nofm.md": "# just markdown\n" }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problems).toContainEqual(expect.objectContaining({ file: "bomb.md", field: "(front matter)", line: 4, message: expect.stringContaining("alias") }));
    expect(problems).toContainEqual(expect.objectContaining({ file: "nofm.md" }));
    expect(articles.map((a) => a.id)).toContain(parseArticle("ok.md", good).article!.id);
  });

  it("catches duplicate ids and related ids that point nowhere", () => {
    const { problems } = lintKnowledge(kbDir({ "a.md": good, "b.md": good }));
    expect(problems.some((p) => p.field === "id" && p.message.includes("duplicate id Q247764"))).toBe(true);
    expect(problems.some((p) => p.field === "related.0" && p.message.includes("Q171435"))).toBe(true);
  });

  it("throws one KnowledgeError listing every problem", () => {
    const d = kbDir({ "bad.md": good.replace("type: Error", "type: 7") });
    expect(() => loadKnowledge(d)).toThrow(KnowledgeError);
    try {
      loadKnowledge(d);
    } catch (err) {
      expect((err as Error).message).toMatch(/^bad\.md:\d+:\d+: events\.0\.type: /m);
    }
  });

  it("rejects an unknown field rather than ignoring a typo", () => {
    const r = parseArticle("x.md", good.replace("symptoms:", "symptom:"));
    expect(r.problems.map((p) => p.message).join()).toMatch(/unknown field "symptom"/);
  });

  it("reports a missing folder", () => {
    expect(lintKnowledge("/nonexistent/kb").problems[0]).toMatchObject({ field: "(folder)", message: expect.stringContaining("ENOENT") });
  });
});
