// The house rule "small files, no source file over 300 lines", checked rather than remembered: the probe
// engine grew past it once this round without anyone noticing.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";

const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(e.name) ? [path] : [];
  });
}

describe("source files", () => {
  const files = sourceFiles(join(PROJECT_ROOT, "src"));

  it("are found", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it(`have at most ${MAX_LINES} lines each`, () => {
    const over = files
      .map((f) => ({ file: relative(PROJECT_ROOT, f), lines: readFileSync(f, "utf8").split("\n").filter((_, i, all) => i < all.length - 1 || all[i] !== "").length }))
      .filter((f) => f.lines > MAX_LINES);
    expect(over).toEqual([]);
  });
});
