// Runs a probe: the engine with the target's protocol script, then the diagnosis against the knowledge base.
import type { Article } from "../knowledge/schema.js";
import { diagnoseOutcome } from "./diagnose.js";
import { runSession } from "./engine.js";
import type { EngineOptions } from "./script.js";
import { loadScript } from "./protocols/index.js";
import type { ProbeOutcome, ProbeResult, ProbeTarget } from "./types.js";

export interface ProbeOptions extends EngineOptions {
  /** The knowledge base: diagnosis matches replies against its probe signatures. */
  articles: readonly Article[];
}

/** What happened, without diagnosis. Never throws. */
export async function probeOutcome(target: ProbeTarget, opts: EngineOptions = {}): Promise<ProbeOutcome> {
  return runSession(target, await loadScript(target.protocol ?? "pop3"), opts);
}

/** Runs one probe and diagnoses it. Never throws: every failure, even a bug, ends as a result with a diagnosis. */
export async function runProbe(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeResult> {
  return diagnoseOutcome(await probeOutcome(target, opts), opts.articles);
}
