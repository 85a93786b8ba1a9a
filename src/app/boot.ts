// Boot: from a validated Config to a running bot's parts (the knowledge base, the probe hosts). Shared by every mode.
import type { Config } from "../config.js";
import { KnowledgeError } from "../knowledge/errors.js";
import { loadProbeHosts, ProbeHostsError } from "../probe/hosts.js";
import type { NamedHost } from "../probe/types.js";
import { loadKnowledgeBase, type Knowledge } from "../services/knowledge.js";

/** A start-up failure with a message meant for people: printed as is, exit non-zero. */
export class StartupError extends Error {
  override name = "StartupError";
}

export interface Core {
  knowledge: Knowledge;
  hosts: NamedHost[];
  /** Why there are no hosts, when there are none (for a start-up notice). */
  hostsNotice?: string;
}

/** Loads the knowledge base and the probe hosts file. A missing default hosts file means "no probe buttons"; a broken one stops start-up. */
export async function loadCore(config: Pick<Config, "knowledgeDir" | "probeHostsFile" | "probeHostsFileSet">): Promise<Core> {
  let knowledge: Knowledge;
  try {
    knowledge = loadKnowledgeBase(config.knowledgeDir);
  } catch (err) {
    if (err instanceof KnowledgeError) throw new StartupError(`the knowledge base in ${config.knowledgeDir} has problems:\n${err.message}`);
    throw err;
  }
  try {
    return { knowledge, hosts: await loadProbeHosts(config.probeHostsFile) };
  } catch (err) {
    if (err instanceof ProbeHostsError && err.reason === "missing" && !config.probeHostsFileSet) {
      return { knowledge, hosts: [], hostsNotice: `no probe hosts file at ${config.probeHostsFile}: answers will have no probe buttons (see probe-hosts.example.yml)` };
    }
    if (err instanceof ProbeHostsError) throw new StartupError(`the probe hosts file is broken: ${err.message}`);
    throw err;
  }
}
