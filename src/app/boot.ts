// Boot: from a validated Config to a running bot's parts (knowledge, matcher, probe hosts). Shared by every mode.
import type { Config } from "../config.js";
import type { Article } from "../knowledge/schema.js";
import { loadKnowledge } from "../knowledge/load.js";
import { KnowledgeError } from "../knowledge/errors.js";
import { createMatcher } from "../match/index.js";
import type { Matcher } from "../match/types.js";
import { loadProbeHosts, ProbeHostsError } from "../probe/hosts.js";
import type { NamedHost } from "../probe/types.js";

/** A start-up failure with a message meant for people: printed as is, exit non-zero. */
export class StartupError extends Error {
  override name = "StartupError";
}

export interface Core {
  articles: Article[];
  matcher: Matcher;
  hosts: NamedHost[];
  /** Why there are no hosts, when there are none (for a start-up notice). */
  hostsNotice?: string;
}

/** Loads the knowledge base and the probe hosts file. A missing default hosts file means "no probe buttons"; a broken one stops start-up. */
export async function loadCore(config: Pick<Config, "knowledgeDir" | "probeHostsFile" | "probeHostsFileSet">): Promise<Core> {
  let articles: Article[];
  try {
    articles = loadKnowledge(config.knowledgeDir);
  } catch (err) {
    if (err instanceof KnowledgeError) throw new StartupError(`the knowledge base in ${config.knowledgeDir} has problems:\n${err.message}`);
    throw err;
  }
  const matcher = createMatcher(articles);
  try {
    return { articles, matcher, hosts: await loadProbeHosts(config.probeHostsFile) };
  } catch (err) {
    if (err instanceof ProbeHostsError && err.reason === "missing" && !config.probeHostsFileSet) {
      return { articles, matcher, hosts: [], hostsNotice: `no probe hosts file at ${config.probeHostsFile}: answers will have no probe buttons (see probe-hosts.example.yml)` };
    }
    if (err instanceof ProbeHostsError) throw new StartupError(`the probe hosts file is broken: ${err.message}`);
    throw err;
  }
}
