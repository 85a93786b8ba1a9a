// What the Slack handlers need from the core, passed in so tests, local mode and production wire the same code.
import type { Matcher } from "../match/types.js";
import type { ProbeLimiter } from "../probe/limiter.js";
import type { ProbeOptions } from "../probe/run.js";
import type { NamedHost, ProbeResult, ProbeTarget } from "../probe/types.js";
import { ExpiringSet, ThreadMemory } from "./dedupe.js";

export type ProbeRunner = (target: ProbeTarget, opts: ProbeOptions) => Promise<ProbeResult>;

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
  matcher: Matcher;
  /** Named hosts from the probe hosts file: the only hosts a button can probe. */
  hosts: readonly NamedHost[];
  runProbe: ProbeRunner;
  /** Concurrency and per-user rate of probes; a default ProbeLimiter when not given. */
  limiter: ProbeLimiter;
  /** Where probe passwords are read from (passwordEnv), just before each run. */
  env: NodeJS.ProcessEnv;
  /** Timeouts passed to every probe run. */
  probeTimeouts: Omit<ProbeOptions, "articles">;
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
