import { resolve } from "node:path";
import { loadDotenvOnce } from "../config.js";
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledge } from "../knowledge/load.js";
import { createMatcher } from "../match/index.js";
import type { Matcher } from "../match/types.js";

/** The knowledge folder the bot would use: KNOWLEDGE_DIR (environment or .env, relative to here) or the shipped one. */
export function knowledgeDirFromEnv(): string {
  loadDotenvOnce();
  const dir = process.env.KNOWLEDGE_DIR?.trim();
  return dir ? resolve(process.cwd(), dir) : DEFAULT_KNOWLEDGE_DIR;
}

export function matcherFromEnv(): Matcher {
  return createMatcher(loadKnowledge(knowledgeDirFromEnv()));
}
