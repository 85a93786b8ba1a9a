// What the Slack handlers need from the core, passed in so tests, local mode and production wire the same code.
import type { Knowledge } from "../services/knowledge.js";
import type { ProbeService } from "../services/probe.js";
import { ExpiringSet, ThreadMemory } from "./dedupe.js";

/** One structured log line (feedback, answers, refusals, errors). Never carries a token or a password. */
export interface LogRecord {
  event: string;
  [key: string]: unknown;
}

export type LogSink = (rec: LogRecord) => void;

export const stdoutLog: LogSink = (rec) => {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...rec })}\n`);
};

export interface BotServices {
  knowledge: Knowledge;
  /** Probes of named hosts (the only hosts a button can probe), limited and audited. */
  probe: ProbeService;
  log: LogSink;
  /** The slash command this app answers, "/exchange". */
  command: string;
}

/** Per-process memory of what was handled, bounded in size and time. */
export interface BotMemory {
  /** event_id of every Events API delivery handled. */
  events: ExpiringSet;
  /** channel/ts of every message looked at (a mention arrives as both message and app_mention). */
  messages: ExpiringSet;
  /** Articles already posted per thread. */
  threads: ThreadMemory;
}

export function newMemory(): BotMemory {
  // Slack retries for up to about an hour; an hour of memory covers every redelivery.
  return { events: new ExpiringSet(3600_000, 200_000), messages: new ExpiringSet(3600_000, 200_000), threads: new ThreadMemory() };
}
