// What the feedback trail holds: one JSON object a line, each one of these four records. The file is
// append-only; everything the bot shows or `kb stats` prints is folded from it (see tally.ts).

/** How a person got the answer: an /exchange command (or a pick from its list), a paste, the message shortcut, or a probe's diagnosis. */
export type AnsweredVia = "command" | "paste" | "shortcut" | "diagnosis";
export const ANSWERED_VIA: readonly AnsweredVia[] = ["command", "paste", "shortcut", "diagnosis"];

interface Base {
  /** ISO 8601 time the bot wrote the record. */
  at: string;
  article: string;
}

/** The bot answered with `article`. `answer` is the channel/ts of the message that carries the Yes/No buttons. */
export interface AnsweredRecord extends Base {
  type: "answered";
  via: AnsweredVia;
  answer?: string;
  /** What the answer was matched on (see matchedOn in rank.ts): the key feedback ranks by. */
  matchedOn?: string;
}

/** A person's vote on one answer. A later vote by the same person on the same answer replaces it. */
export interface VoteRecord extends Base {
  type: "vote";
  user: string;
  helpful: boolean;
  answer: string;
  matchedOn?: string;
}

/** What was wrong, from the "No" modal (free text, optional, so only written when given). */
export interface ReasonRecord extends Base {
  type: "reason";
  user: string;
  answer: string;
  text: string;
}

/** A probe run from an answer's button: `outcome` ok (nothing wrong), fault (a fault found), refused or error. */
export interface ProbeRecord extends Base {
  type: "probe";
  host: string;
  outcome: "ok" | "fault" | "refused" | "error";
  /** Articles the diagnosis named. */
  diagnosed?: string[];
}

export type FeedbackRecord = AnsweredRecord | VoteRecord | ReasonRecord | ProbeRecord;

/** Longest reason text kept: a paragraph, not a paste of a log. */
export const MAX_REASON_CHARS = 2000;

const str = (v: unknown, max = 300): v is string => typeof v === "string" && v.length > 0 && v.length <= max;

/** A parsed line as a record, or a short reason it is not one. */
export function toRecord(v: unknown): FeedbackRecord | string {
  if (!v || typeof v !== "object" || Array.isArray(v)) return "not a JSON object";
  const r = v as Record<string, unknown>;
  if (!str(r.at, 40) || Number.isNaN(Date.parse(r.at))) return "no valid 'at' time";
  if (!str(r.article, 80)) return "no 'article'";
  switch (r.type) {
    case "answered":
      return ANSWERED_VIA.includes(r.via as AnsweredVia) ? (r as unknown as AnsweredRecord) : "an 'answered' record without a known 'via'";
    case "vote":
      return str(r.user, 40) && str(r.answer) && typeof r.helpful === "boolean" ? (r as unknown as VoteRecord) : "a 'vote' without user, answer or helpful";
    case "reason":
      return str(r.user, 40) && str(r.answer) && str(r.text, MAX_REASON_CHARS) ? (r as unknown as ReasonRecord) : "a 'reason' without user, answer or text";
    case "probe":
      return str(r.host) && ["ok", "fault", "refused", "error"].includes(r.outcome as string) ? (r as unknown as ProbeRecord) : "a 'probe' without host or a known outcome";
    default:
      return "unknown record type";
  }
}

export interface HistoryProblem {
  line: number;
  message: string;
}

/**
 * The trail's text to records. Lines that are not records are skipped and reported with their number; a
 * last line without its newline is what a process killed mid-write leaves, and is reported as such.
 */
export function parseHistory(text: string): { records: FeedbackRecord[]; problems: HistoryProblem[] } {
  const records: FeedbackRecord[] = [];
  const problems: HistoryProblem[] = [];
  const lines = text.split("\n");
  const complete = text.endsWith("\n") || text === "";
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const last = i === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ line: i + 1, message: last && !complete ? "the last line is cut short (the bot stopped while writing it): ignored" : "not JSON: ignored" });
      return;
    }
    const r = toRecord(value);
    if (typeof r === "string") problems.push({ line: i + 1, message: `${r}: ignored` });
    else records.push(r);
  });
  return { records, problems };
}
