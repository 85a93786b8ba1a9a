// Every relative link in README.md and docs/*.md resolves, file and #anchor: the README was split into docs/
// by topic, and a link into a moved section is easy to leave pointing at where it used to be.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";

/** GitHub's heading anchors: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fence = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fence = !fence;
    const h = fence ? null : /^#{1,6} (.*)$/.exec(line);
    if (!h) continue;
    const base = h[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative link targets in a Markdown text, code spans and fences left out. */
export function linksOf(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

function docFiles(): string[] {
  const docs = join(PROJECT_ROOT, "docs");
  return [join(PROJECT_ROOT, "README.md"), ...readdirSync(docs).filter((f) => f.endsWith(".md")).map((f) => join(docs, f))];
}

function broken(file: string): string[] {
  const md = readFileSync(file, "utf8");
  return linksOf(md).flatMap((link) => {
    const [path, anchor] = link.split("#", 2) as [string, string | undefined];
    const target = path === "" ? file : join(dirname(file), decodeURIComponent(path));
    const where = `${relative(PROJECT_ROOT, file)} → ${link}`;
    if (!existsSync(target)) return [`${where}: no such file`];
    if (anchor === undefined || statSync(target).isDirectory() || !target.endsWith(".md")) return [];
    return anchorsOf(readFileSync(target, "utf8")).has(anchor) ? [] : [`${where}: no heading with that anchor`];
  });
}

describe("documentation links", () => {
  it("reads headings the way GitHub anchors them", () => {
    expect([...anchorsOf("# As a monitoring plugin (Nagios, Icinga, Naemon)\n## Probe hosts: `probe-hosts.yml` comes first\n## Start-up\n## Start-up\n")]).toEqual([
      "as-a-monitoring-plugin-nagios-icinga-naemon",
      "probe-hosts-probe-hostsyml-comes-first",
      "start-up",
      "start-up-1",
    ]);
  });

  it("finds a link that points nowhere", () => {
    expect(linksOf("see [a](docs/none.md#x) and [b](https://example.invalid/) and `[c](d.md)`")).toEqual(["docs/none.md#x"]);
  });

  it("resolve in README.md and docs/*.md, files and anchors", () => {
    const files = docFiles();
    expect(files.length).toBeGreaterThan(5);
    expect(files.flatMap(broken)).toEqual([]);
  });

  it("keep the README under 300 lines, linking every docs/ file", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
    expect(readme.split("\n").length).toBeLessThan(300);
    expect(readme).toContain("npm test");
    for (const f of ["matching", "probe", "knowledge", "operations", "benchmarks", "reliability", "testing"]) expect(readme).toContain(`(docs/${f}.md)`);
  });
});
