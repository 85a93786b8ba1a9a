// The fixture knowledge base the code tests use (test/fixtures/knowledge/), so rewording a shipped article
// never breaks a renderer, Slack or CLI test.
import { join } from "node:path";
import type { Article } from "../../src/knowledge/schema.js";
import { loadKnowledge } from "../../src/knowledge/load.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import { createKnowledge, type Knowledge } from "../../src/services/knowledge.js";

export const FIXTURE_KNOWLEDGE_DIR = join(PROJECT_ROOT, "test", "fixtures", "knowledge");

export function fixtureArticles(): Article[] {
  return loadKnowledge(FIXTURE_KNOWLEDGE_DIR);
}

export function fixtureKnowledge(): Knowledge {
  return createKnowledge(fixtureArticles());
}
