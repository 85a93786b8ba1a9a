// The feedback trail as an append-only file, DATA_DIR/feedback.jsonl: one JSON record a line, each written
// with one write(2) on a file opened for appending. A process killed mid-write can leave at most its last
// line cut short; opening the file again reports that line, skips it, and starts the next record on a line
// of its own. A file that cannot be read or written is reported, and the bot goes on with feedback in memory.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parseHistory, type FeedbackRecord } from "../feedback/records.js";
import { MemoryFeedbackStore } from "./feedback.js";

export const FEEDBACK_FILE = "feedback.jsonl";

/** The trail's records and what was wrong with it, for `kb stats` and for opening the store. */
export function readFeedbackFile(path: string): { records: FeedbackRecord[]; problems: string[]; endsCleanly: boolean } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { records: [], problems: [], endsCleanly: true };
    return { records: [], problems: [`cannot read ${path} (${code ?? "unreadable"})`], endsCleanly: true };
  }
  const { records, problems } = parseHistory(text);
  return { records, problems: problems.map((p) => `${path}:${p.line}: ${p.message}`), endsCleanly: text === "" || text.endsWith("\n") };
}

export class FileFeedbackStore extends MemoryFeedbackStore {
  private fd: number | undefined;
  private needsNewline: boolean;

  /** Opens (or creates) dataDir/feedback.jsonl. Never throws: problems() says what went wrong. */
  constructor(readonly path: string) {
    const { records, problems, endsCleanly } = readFeedbackFile(path);
    super(records);
    this.issues.push(...problems);
    this.needsNewline = !endsCleanly;
    try {
      this.fd = openSync(path, "a", 0o600);
    } catch (err) {
      this.issues.push(`cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? "unwritable"}): feedback is kept in memory only until a restart`);
    }
  }

  static open(dataDir: string): FileFeedbackStore {
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch {
      // The constructor reports the file it then cannot open.
    }
    return new FileFeedbackStore(join(dataDir, FEEDBACK_FILE));
  }

  override async append(rec: FeedbackRecord): Promise<void> {
    await super.append(rec);
    if (this.fd === undefined) return;
    const line = `${this.needsNewline ? "\n" : ""}${JSON.stringify(rec)}\n`;
    try {
      const buf = Buffer.from(line);
      for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off);
      this.needsNewline = false;
    } catch (err) {
      this.needsNewline = true;
      this.report(`cannot write ${this.path} (${(err as NodeJS.ErrnoException).code ?? "write failed"}): records are kept in memory until it can be written again`);
    }
  }

  override async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
