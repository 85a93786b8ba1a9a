// One article file's text to an Article, with every problem placed at its line and column in the file.
import { isMap, isScalar, parseDocument, visit, type Document } from "yaml";
import { ArticleSchema, toArticle } from "./schema.js";
import type { Article } from "./schema.js";
import type { KnowledgeProblem } from "./errors.js";

export type PathPart = string | number;

/** Line and column in the file of a front-matter field, or of its nearest parent that exists. */
export type Locate = (path: readonly PathPart[]) => { line: number; column: number };

export interface ParsedArticle {
  article?: Article;
  problems: KnowledgeProblem[];
  /** Present when the front matter parsed as YAML: places fields for cross-file checks. */
  locate?: Locate;
  /** The id the file claims, even when it is broken, so other files' references to it are not reported too. */
  claimedId?: string;
}

/** 1-based line and column of a character offset. */
function position(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** Offset in the front matter of the node at path: a missing key points at its parent, an unknown key at itself. */
function nodeOffset(doc: Document, path: readonly PathPart[], key?: string): number {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: unknown } | null)?.range;
    if (!Array.isArray(range) || typeof range[0] !== "number") continue;
    if (n === path.length && key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
    return range[0];
  }
  return 0;
}

const MAX_ALIASES = 100;

/** Offset of the first alias (`*name`) in the front matter, where an expansion that is refused begins. */
function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function claimedIdIn(frontMatter: string): string | undefined {
  return /^id:[ \t]*["']?([A-Za-z0-9-]+)/m.exec(frontMatter)?.[1];
}

/** Parses one article file's text. Never throws: every problem is returned with its field and place. */
export function parseArticle(file: string, raw: string): ParsedArticle {
  const text = raw.replace(/^\uFEFF/, "");
  const fm = /^(---\r?\n)([\s\S]*?)\r?\n---(?:\r?\n|$)([\s\S]*)$/.exec(text);
  if (!fm) return { problems: [{ file, field: "(front matter)", message: "must start with a '---' line, YAML, then a closing '---' line", line: 1, column: 1 }] };
  const start = fm[1]!.length;
  const yamlText = fm[2] ?? "";
  const lines = lineStartsOf(text);
  const at = (offset: number): { line: number; column: number } => position(lines, start + offset);
  const claimedId = claimedIdIn(yamlText);
  const claim = claimedId ? { claimedId } : {};

  const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    return {
      ...claim,
      problems: doc.errors.map((e) => ({
        file,
        field: "(front matter)",
        // The parser's own "at line N" counts from the front matter; the place we give counts from the file.
        message: `YAML does not parse: ${(e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`,
        ...at(e.pos[0]),
      })),
    };
  }
  const locate: Locate = (path) => at(nodeOffset(doc, path));
  let data: unknown;
  try {
    // Aliases are bounded as in yaml-text.ts: a few hundred bytes of nested aliases expand to gigabytes.
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
    return { ...claim, problems: [{ file, field: "(front matter)", message: `YAML does not parse: ${message}`, ...at(firstAliasOffset(doc)) }] };
  }
  const parsed = ArticleSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ...claim,
      locate,
      problems: parsed.error.issues.flatMap((i) => {
        const path = i.path.filter((p): p is PathPart => typeof p === "string" || typeof p === "number");
        const keys = i.code === "unrecognized_keys" ? i.keys : [undefined];
        return keys.map((key) => {
          const full = key === undefined ? path : [...path, key];
          return {
            file,
            field: full.length ? full.map(String).join(".") : "(front matter)",
            message: key !== undefined ? `unknown field "${key}" (check its spelling against knowledge/README.md)` : /received undefined$/.test(i.message) ? "is required but missing" : i.message,
            ...at(nodeOffset(doc, path, key)),
          };
        });
      }),
    };
  }
  const body = (fm[3] ?? "").trim();
  if (body.length < 20) {
    const closing = position(lines, text.indexOf("---", start + yamlText.length));
    return { ...claim, locate, problems: [{ file, field: "(body)", message: "the article body is empty: write the long form below the front matter", ...closing }] };
  }
  const article = toArticle(parsed.data, body, file);
  // An article is its own KB number; listing it among the references is allowed, and dropped here.
  article.references = article.references.filter((r) => r !== article.id);
  return { article, problems: [], locate, claimedId: article.id };
}
