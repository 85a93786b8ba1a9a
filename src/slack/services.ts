// What the Slack handlers need from the core, passed in so tests, local mode and production wire the same code.
import { logger } from "../log.js";
import type { Knowledge } from "../services/knowledge.js";
import type { ProbeService } from "../services/probe.js";
import type { FeedbackStore } from "../state/feedback.js";
import type { TrailSink } from "../state/types.js";
import type { BotClaims } from "./claims.js";

/** One structured log line (feedback, answers, refusals, errors). Never carries a token or a password. */
export interface LogRecord {
  event: string;
  [key: string]: unknown;
}

export type LogSink = (rec: LogRecord) => void;

/** Through the logger (src/log.ts): `event: "error"` records at level error, the rest at info. */
export const stdoutLog: LogSink = (rec) => {
  const line = { at: new Date().toISOString(), ...rec };
  if (rec.event === "error") botLog.error(line);
  else botLog.info(line);
};
const botLog = logger("agent");

export interface BotServices {
  knowledge: Knowledge;
  /** Probes of named hosts (the only hosts a button can probe), limited and audited. */
  probe: ProbeService;
  log: LogSink;
  /** The slash command this app answers, "/exchange". */
  command: string;
  /** What was answered where, shared by every replica. */
  claims: BotClaims;
  /** "Did this help?" answers (a Redis stream when REDIS_URL is set; the log line is always written). */
  feedback: TrailSink;
  /** Votes, reasons, probe outcomes and answers, kept in DATA_DIR (or on Redis for several replicas) and read back for counts and ranking. */
  feedbackStore: FeedbackStore;
}
