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

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0]!.slice(0, 100);

export async function triageFiles(paths: readonly string[], knowledge: Knowledge, opts: TriageOptions = {}) {
  const tally = new Tally(knowledge);
  const files: FileSummary[] = [];
  let seen = 0;
  for (const path of paths) {
    let summary: FileSummary | undefined;
    try {
      for await (const part of readExports(path)) {
        summary = { name: part.name, format: part.format, events: 0, skipped: 0 };
        files.push(summary);
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
      }
    } catch (err) {
      if (err instanceof TriageFileError) throw err;
      // A cut .gz, a read error, or an export that stops being one part way: the file named, never a stack.
      const where = summary ? `${summary.name}: not a readable ${summary.format} export after ${summary.events} events` : `${path}: unreadable`;
      throw new TriageFileError(`${where} (${firstLine(err)}); ${EXPECTED}`);
    }
  }
  return { files, tally };
}
