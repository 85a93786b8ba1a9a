// Issue 21 point 2: the renderers build Block Kit with Slack's own types (@slack/types), so the compiler checks
// every block and field they write. A loose record type or a cast to `unknown`/`never` would switch that off
// again without any test noticing, so their absence from src/render is checked here.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";

const RENDER = join(PROJECT_ROOT, "src", "render");
const LOOSE = [/Record<string,\s*unknown>/, /\bas unknown as\b/, /\bas never\b/, /\bas any\b/, /:\s*any\b/];

describe("src/render builds blocks with Slack's types", () => {
  const files = readdirSync(RENDER).filter((f) => f.endsWith(".ts"));

  it("imports them from @slack/types", () => {
    const typed = files.filter((f) => /from "@slack\/types"/.test(readFileSync(join(RENDER, f), "utf8")));
    expect(typed).toEqual(expect.arrayContaining(["limits.ts", "blocks.ts", "answer.ts", "feedback.ts", "details.ts"]));
  });

  it("has no loose record types or casts that would hide a wrong block", () => {
    const found = files.flatMap((f) =>
      readFileSync(join(RENDER, f), "utf8")
        .split("\n")
        .flatMap((line, i) => (LOOSE.some((re) => re.test(line)) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
