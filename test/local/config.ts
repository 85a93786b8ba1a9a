// Local mode's configuration as `start` reads it, from an environment with no Slack variables, on the fixture articles.
import { readConfig } from "../../src/config.js";
import type { LocalConfig } from "../../src/app/local-mode.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";

export function localConfig(cwd: string, env: Record<string, string> = {}): LocalConfig {
  const c = readConfig({ PORT: "0", LOG_LEVEL: "error", KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE_DIR, ...env }, cwd);
  if (c.mode !== "local") throw new Error(`expected local mode, got ${c.mode}`);
  return c;
}
