// exchange-bot triage FILE... [--json] [--since ISO-DATE] [--top N]
import { accessSync, constants } from "node:fs";
import { normaliseTime } from "../triage/record.js";
import { TriageFileError } from "../triage/read.js";
import { triageJson, triageText } from "../triage/report.js";
import { triageFiles } from "../triage/run.js";
import { knowledgeFromEnv } from "./knowledge.js";
import { usageError } from "./usage.js";

interface TriageArgs {
  json: boolean;
  since?: string;
  top?: number;
  files: string[];
}

function parseArgs(args: string[]): TriageArgs {
  const out: TriageArgs = { json: false, files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (flag: string) => (a.includes("=") ? a.slice(flag.length + 1) : args[++i]);
    if (a === "--json") out.json = true;
    else if (a === "--since" || a.startsWith("--since=")) {
      const v = value("--since") ?? "";
      const t = normaliseTime(/^\d{4}-\d\d-\d\d$/.test(v) ? `${v}T00:00:00Z` : v);
      if (!t) throw usageError("--since takes an ISO date or time, e.g. 2026-12-01 or 2026-12-01T08:00:00Z");
      out.since = t;
    } else if (a === "--top" || a.startsWith("--top=")) {
      const v = value("--top") ?? "";
      if (!/^[1-9]\d{0,5}$/.test(v)) throw usageError("--top takes a whole number from 1");
      out.top = Number(v);
    } else if (a === "--") out.files.push(...args.slice(i + 1)), (i = args.length);
    else if (a.startsWith("--")) throw usageError(`unknown option '${a.slice(0, 40)}' for triage`);
    else out.files.push(a);
  }
  if (!out.files.length) throw usageError("give one or more exported event log files");
  return out;
}

export async function triageCommand(args: string[]): Promise<number> {
  const opts = parseArgs(args);
  for (const f of opts.files) {
    try {
      accessSync(f, constants.R_OK);
    } catch {
      throw usageError(`${f.slice(0, 200)}: no such readable file`, { selfExplained: true });
    }
  }
  const knowledge = knowledgeFromEnv();
  let result;
  try {
    result = await triageFiles(opts.files, knowledge, { since: opts.since });
  } catch (err) {
    if (err instanceof TriageFileError) throw usageError(err.message, { selfExplained: true });
    throw err;
  }
  const j = triageJson(result.files, result.tally, opts.top);
  process.stdout.write(opts.json ? JSON.stringify(j) + "\n" : triageText(j));
  // As the issue fixes it: 1 when a known fault is in the log, 0 when none.
  return j.faults.length ? 1 : 0;
}
