import { loadPaths } from "../config.js";
import { loadKnowledgeBase, type Knowledge } from "../services/knowledge.js";

/** The knowledge base the bot would use: KNOWLEDGE_DIR (environment or .env) or the shipped one. */
export function knowledgeFromEnv(): Knowledge {
  return loadKnowledgeBase(loadPaths().knowledgeDir);
}
