// The knowledge service every edge shares: the articles, looked up by id, and the matcher built over them.
// Handlers that only need an article ask `byId`; only matching goes through `matcher`.
import type { Article } from "../knowledge/schema.js";
import { loadKnowledge } from "../knowledge/load.js";
import { createMatcher } from "../match/index.js";
import type { Matcher } from "../match/types.js";

export interface Knowledge {
  readonly articles: readonly Article[];
  /** The article with this id (case-insensitive), if there is one. */
  byId(id: string): Article | undefined;
  readonly matcher: Matcher;
}

export function createKnowledge(articles: readonly Article[]): Knowledge {
  const ids = new Map(articles.map((a) => [a.id.toLowerCase(), a]));
  return { articles, byId: (id) => ids.get(id.toLowerCase()), matcher: createMatcher(articles) };
}

/** Loads and validates the folder; throws KnowledgeError naming every file and field that is wrong. */
export function loadKnowledgeBase(dir: string): Knowledge {
  return createKnowledge(loadKnowledge(dir));
}
