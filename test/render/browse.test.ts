// Browsing by product and family (`/exchange list`, `kb list`, the help's table of contents), on fixture articles.
import { describe, expect, it } from "vitest";
import { families, familiesFor } from "../../src/knowledge/browse.js";
import { lintKnowledge } from "../../src/knowledge/load.js";
import { renderList } from "../../src/render/browse.js";
import { renderHelp } from "../../src/render/replies.js";

const dir = new URL("../fixtures/knowledge-templates/", import.meta.url).pathname;
const { articles } = lintKnowledge(dir);
const all = families(articles);
const text = (blocks: unknown[]) => JSON.stringify(blocks);

describe("families", () => {
  it("group by product (Exchange Server first) then family, leaving drafts out", () => {
    expect(all.map((f) => [f.product, f.category, f.articles.map((a) => a.id)])).toEqual([
      ["exchange-server", "transport-auth", ["T000003-fixture"]],
      ["exchange-online", "exo-smtp-auth", ["T000004-fixture"]],
    ]);
  });

  it("are found by slug, by the start of a slug, or by product", () => {
    expect(familiesFor(all, "transport").map((f) => f.category)).toEqual(["transport-auth"]);
    expect(familiesFor(all, "EXO-SMTP-AUTH").map((f) => f.category)).toEqual(["exo-smtp-auth"]);
    expect(familiesFor(all, "online").map((f) => f.category)).toEqual(["exo-smtp-auth"]);
    expect(familiesFor(all, "server").map((f) => f.category)).toEqual(["transport-auth"]);
    expect(familiesFor(all, "nntp")).toEqual([]);
  });
});

describe("/exchange list", () => {
  it("lists each family's articles with the command that opens each", () => {
    const page = renderList(all, "", "/exchange");
    expect(page.text).toBe("2 Exchange articles");
    expect(text(page.blocks)).toContain("*Exchange Online · exo-smtp-auth* (1)\\n• `/exchange T000004-fixture` Fixture: the cloud service refuses the logon");
  });

  it("an unknown family is a clear answer naming the families, its text escaped", () => {
    const page = renderList(all, "<!channel>", "/exchange");
    expect(page.text).toMatch(/^No family named/);
    expect(text(page.blocks)).not.toContain("<!channel>");
    expect(text(page.blocks)).toContain("`/exchange list transport-auth`");
  });

  it("help shows how to browse, with the families and their counts", () => {
    const help = text(renderHelp({ articles: 2, hosts: [], families: all }).blocks);
    expect(help).toContain("`/exchange list`");
    expect(help).toContain("`/exchange list exo-smtp-auth` Exchange Online · exo-smtp-auth (1)");
  });
});
