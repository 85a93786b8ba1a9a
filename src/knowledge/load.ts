import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Article } from "./schema.js";
import { KnowledgeError, type KnowledgeProblem } from "./errors.js";
import { checkCorpus, type Parsed } from "./corpus.js";
import { parseArticle } from "./parse.js";
import { DEFAULT_KNOWLEDGE_DIR } from "../paths.js";
import { lintMatching } from "./lint-matching.js";
import { readTextFile } from "../text-file.js";

export { parseArticle } from "./parse.js";

const MAX_FILE_BYTES = 256 * 1024;

export interface LoadResult {
  articles: Article[];
  problems: KnowledgeProblem[];
  /** Article files read (every *.md but README.md), loaded or not. */
  files: number;
}

/** The article files in a folder: every *.md except its README. */
export function articleFileNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".md") && n.toLowerCase() !== "readme.md")
    .sort();
}

/** Reads every article file in dir; returns articles and all problems (for `kb lint`). */
export function lintKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): LoadResult {
  let names: string[];
  try {
    names = articleFileNames(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    return { articles: [], files: 0, problems: [{ file: dir, field: "(folder)", message: `cannot read knowledge folder (${code})` }] };
  }
  const parsed: Parsed[] = [];
  const brokenIds = new Set<string>();
  const problems: KnowledgeProblem[] = [];
  if (names.length === 0) problems.push({ file: dir, field: "(folder)", message: "no *.md articles found" });
  for (const n of names) {
    const file = readTextFile(join(dir, n), MAX_FILE_BYTES, "UTF-8 Markdown");
    if ("problem" in file) {
      problems.push({ file: n, field: "(file)", message: file.problem.message });
      continue;
    }
    const r = parseArticle(n, file.text);
    problems.push(...r.problems);
    if (r.article && r.locate) parsed.push({ article: r.article, locate: r.locate });
    else if (r.claimedId) brokenIds.add(r.claimedId);
  }
  problems.push(...checkCorpus(parsed, brokenIds), ...lintMatching(parsed.map((p) => p.article)));
  return { articles: parsed.map((p) => p.article), problems, files: names.length };
}

/** Loads the knowledge base or throws a KnowledgeError listing every problem. */
export function loadKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): Article[] {
  const { articles, problems } = lintKnowledge(dir);
  if (problems.length) throw new KnowledgeError(problems);
  return articles;
}
