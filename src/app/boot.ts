// Boot: from a validated Config to a running bot's parts (the knowledge base, the probe hosts). Shared by every mode.
import type { Config } from "../config.js";
import { formatProblem, KnowledgeError } from "../knowledge/errors.js";
import { lintKnowledge } from "../knowledge/load.js";
import { loadProbeHosts, ProbeHostsError } from "../probe/hosts.js";
import type { NamedHost } from "../probe/types.js";
import { createKnowledge, loadKnowledgeBase, type Knowledge } from "../services/knowledge.js";
import { FileFeedbackStore } from "../state/feedback-file.js";

/**
 * The feedback trail in dataDir. What is wrong with it (a corrupt line, a file that cannot be written) is
 * said on stderr, and the bot starts anyway: feedback then lives in memory until the file works again.
 */
export function openFeedback(dataDir: string): FileFeedbackStore {
  const store = FileFeedbackStore.open(dataDir);
  for (const p of store.problems()) process.stderr.write(`exchange-bot: feedback: ${p}\n`);
  return store;
}

/** A start-up failure with a message meant for people: printed as is, exit non-zero. */
export class StartupError extends Error {
  override name = "StartupError";
}

export interface Core {
  knowledge: Knowledge;
  /** With knowledgeProblems "report": what `kb lint` says is wrong with the folder (those files are left out). */
  knowledgeProblems?: string[];
  hosts: NamedHost[];
  /** Why there are no hosts, when there are none (for a start-up notice). */
  hostsNotice?: string;
}

/** Loads the knowledge base and the probe hosts file. A missing default hosts file means "no probe buttons"; a broken one stops start-up. */
export async function loadCore(
  config: Pick<Config, "knowledgeDir" | "probeHostsFile" | "probeHostsFileSet">,
  opts: { knowledgeProblems?: "stop" | "report" } = {},
): Promise<Core> {
  let knowledge: Knowledge;
  let knowledgeProblems: string[] = [];
  if (opts.knowledgeProblems === "report") {
    // Local mode: the articles that load, and what is wrong with the rest, for the page to show.
    const { articles, problems } = lintKnowledge(config.knowledgeDir);
    knowledge = createKnowledge(articles);
    knowledgeProblems = problems.map(formatProblem);
  } else {
    try {
      knowledge = loadKnowledgeBase(config.knowledgeDir);
    } catch (err) {
      if (err instanceof KnowledgeError) throw new StartupError(`the knowledge base in ${config.knowledgeDir} has problems:\n${err.message}`);
      throw err;
    }
  }
  const core = await loadHosts(config, knowledge);
  return knowledgeProblems.length ? { ...core, knowledgeProblems } : core;
}

async function loadHosts(config: Pick<Config, "probeHostsFile" | "probeHostsFileSet">, knowledge: Knowledge): Promise<Core> {
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
