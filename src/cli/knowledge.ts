import { loadKnowledge } from "../knowledge/load.js";
import { createMatcher } from "../match/index.js";
import type { Matcher } from "../match/types.js";

/** KNOWLEDGE_DIR lets authors try a folder of drafts without touching the shipped articles. */
export function matcherFromEnv(): Matcher {
  const dir = process.env.KNOWLEDGE_DIR;
  return createMatcher(dir ? loadKnowledge(dir) : loadKnowledge());
}
