// Reads every file into one tally: the core the CLI and Slack share.
import type { Knowledge } from "../services/knowledge.js";
import { EXPECTED, readExports, TriageFileError } from "./read.js";
import { SKIP } from "./record.js";
import type { FileSummary } from "./report.js";
import { Tally } from "./tally.js";

export interface TriageOptions {
  /** ISO time: events before it are not counted. */
  since?: string | undefined;
  onProgress?: (events: number) => void;
}

export async function triageFiles(paths: readonly string[], knowledge: Knowledge, opts: TriageOptions = {}) {
  const tally = new Tally(knowledge);
  const files: FileSummary[] = [];
  let seen = 0;
  for (const path of paths) {
    for await (const part of readExports(path)) {
      const summary: FileSummary = { name: part.name, format: part.format, events: 0, skipped: 0 };
      files.push(summary);
      try {
        for await (const r of part.records) {
          if (r === SKIP) {
            summary.skipped++;
            continue;
          }
          summary.events++;
          if (opts.since && r.time && r.time < opts.since) continue;
          tally.add(r);
          if (opts.onProgress && ++seen % 1000 === 0) opts.onProgress(seen);
        }
      } catch (err) {
        throw new TriageFileError(`${part.name}: not a readable ${part.format} export after ${summary.events} events (${(err as Error).message.split("\n")[0]!.slice(0, 100)}); ${EXPECTED}`);
      }
    }
  }
  return { files, tally };
}
