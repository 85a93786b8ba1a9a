import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { ArticleSchema, toArticle, type Article } from "./schema.js";
import { KnowledgeError, type KnowledgeProblem } from "./errors.js";
import { DEFAULT_KNOWLEDGE_DIR } from "../paths.js";

const MAX_FILE_BYTES = 256 * 1024;

export interface LoadResult {
  articles: Article[];
  problems: KnowledgeProblem[];
}

/** Parses one article file's text. Never throws: every problem is returned with its field. */
export function parseArticle(file: string, text: string): { article?: Article; problems: KnowledgeProblem[] } {
  const name = basename(file);
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text.replace(/^\uFEFF/, ""));
  if (!fm) return { problems: [{ file: name, field: "(front matter)", message: "must start with a '---' line, YAML, then a closing '---' line" }] };
  let data: unknown;
  try {
    data = parseYaml(fm[1] ?? "", { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split("\n")[0] ?? "" : String(err);
    return { problems: [{ file: name, field: "(front matter)", message: `YAML does not parse: ${msg}` }] };
  }
  const parsed = ArticleSchema.safeParse(data);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => ({
        file: name,
        field: i.path.length ? i.path.map(String).join(".") : "(front matter)",
        message: /received undefined$/.test(i.message) ? "is required but missing" : i.message,
      })),
    };
  }
  const body = (fm[2] ?? "").trim();
  if (body.length < 20) return { problems: [{ file: name, field: "(body)", message: "the article body is empty: write the long form below the front matter" }] };
  return { article: toArticle(parsed.data, body, name), problems: [] };
}

/** Cross-file checks: duplicate ids and related ids that point nowhere. */
function checkCorpus(articles: Article[]): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [];
  const byId = new Map<string, Article>();
  for (const a of articles) {
    const seen = byId.get(a.id);
    if (seen) problems.push({ file: a.file, field: "id", message: `duplicate id ${a.id} (also in ${seen.file})` });
    else byId.set(a.id, a);
  }
  for (const a of articles) {
    a.related.forEach((r, i) => {
      if (!byId.has(r)) problems.push({ file: a.file, field: `related.${i}`, message: `no article has id ${r}` });
    });
  }
  return problems;
}

/** Reads every *.md in dir; returns articles and all problems (for `kb lint`). */
export function lintKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): LoadResult {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".md") && n.toLowerCase() !== "readme.md").sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    return { articles: [], problems: [{ file: dir, field: "(folder)", message: `cannot read knowledge folder (${code})` }] };
  }
  const articles: Article[] = [];
  const problems: KnowledgeProblem[] = [];
  if (names.length === 0) problems.push({ file: dir, field: "(folder)", message: "no *.md articles found" });
  for (const n of names) {
    const path = join(dir, n);
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) {
      problems.push({ file: n, field: "(file)", message: `file is ${size} bytes, over the ${MAX_FILE_BYTES} byte limit` });
      continue;
    }
    const raw = readFileSync(path);
    if (raw.includes(0)) {
      problems.push({ file: n, field: "(file)", message: "file is binary (contains NUL bytes), expected UTF-8 Markdown" });
      continue;
    }
    const r = parseArticle(n, raw.toString("utf8"));
    problems.push(...r.problems);
    if (r.article) articles.push(r.article);
  }
  problems.push(...checkCorpus(articles));
  return { articles, problems };
}

/** Loads the knowledge base or throws a KnowledgeError listing every problem. */
export function loadKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): Article[] {
  const { articles, problems } = lintKnowledge(dir);
  if (problems.length) throw new KnowledgeError(problems);
  return articles;
}
