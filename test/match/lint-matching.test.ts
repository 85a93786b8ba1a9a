// `kb lint` on the matching fields: what an author gets told when generic phrases, variants or context
// terms are declared wrongly.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseArticle } from "../../src/knowledge/load.js";
import { lintMatching } from "../../src/knowledge/lint-matching.js";
import type { Article } from "../../src/knowledge/schema.js";

const base = readFileSync(new URL("../fixtures/knowledge-matching/T000001-pop3-privilege.md", import.meta.url), "utf8");

function article(edit: (front: string) => string, id = "T000009-fixture"): Article {
  const text = edit(base.replace("id: T000001-fixture", `id: ${id}`));
  const r = parseArticle(`${id}.md`, text);
  if (!r.article) throw new Error(JSON.stringify(r.problems));
  return r.article;
}
const messages = (as: Article[]) => lintMatching(as).map((p) => `${p.file}: ${p.field}: ${p.message}`);

describe("kb lint: matching fields", () => {
  it("accepts the fixture as written", () => {
    expect(messages([article((s) => s)])).toEqual([]);
  });

  it("refuses a context term that the generic phrase itself contains", () => {
    const out = messages([article((s) => s.replace("  - PASS\n", "  - PASS\n  - client\n"))]);
    expect(out.some((m) => /context\.3: "client" occurs in the generic phrase/.test(m))).toBe(true);
  });

  it("refuses context terms that surround every error, and repeats", () => {
    const out = messages([article((s) => s.replace("  - PASS\n", "  - PASS\n  - error\n  - pop3\n"))]);
    expect(out).toContain('T000009-fixture.md: context.3: "error" appears around errors of every product, so it proves nothing');
    expect(out).toContain('T000009-fixture.md: context.4: "pop3" is listed twice');
  });

  it("asks for context when generic phrases have none to count beside", () => {
    const bare = article((s) => s.replace(/context:\n(  - .*\n)+/, "").replace(/events:\n(  .*\n)+/, "events: []\n"));
    expect(messages([bare])).toContain(
      "T000009-fixture.md: context: generic phrases count in a channel only beside the article's context: list its context terms (event source, protocol words)",
    );
  });

  it("keeps one text generic everywhere, and variants distinct", () => {
    const plain = article((s) => s.replace("    generic: true\n", ""), "T000008-fixture");
    const out = messages([article((s) => s), plain]);
    expect(out.some((m) => /T000008-fixture.md: phrases\.1: .* is marked generic: true in T000009-fixture/.test(m))).toBe(true);
    const twice = article((s) => s.replace('de: ["Dem Client fehlt ein erforderliches Recht"]', 'de: ["Dem Client fehlt ein erforderliches Recht", "Dem Client fehlt ein erforderliches Recht."]'));
    expect(messages([twice])).toContain('T000009-fixture.md: phrases.1.variants.de.1: "Dem Client fehlt ein erforderliches Recht." repeats the phrase or another variant');
  });

  it("names the field of a misspelt phrase flag or language code", () => {
    const r = parseArticle("x.md", base.replace("    generic: true\n", "    generc: true\n"));
    expect(r.problems.some((p) => p.field.startsWith("phrases.1") && /generc/.test(`${p.field} ${p.message}`))).toBe(true);
    const lang = parseArticle("y.md", base.replace("      de: [", "      deutsch: ["));
    expect(lang.problems).toContainEqual(expect.objectContaining({ file: "y.md", field: "phrases.1.variants", message: "keys must be language codes like de, fr or pt-BR" }));
  });
});
