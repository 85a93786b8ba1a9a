// The bot's logger: pino, one JSON object a line on stdout (pretty in local mode), levels from LOG_LEVEL, a
// redaction list so no token, signing secret, password or Authorization header is ever written, and a child
// logger per component (receiver, probe, state, agent, bolt). Records keep their own fields as they were
// (`event`, `audit`, `at`, …): tools read them; pino adds `level` and `component`.
import { pino, type Logger as Pino } from "pino";
import type { LogLevelName } from "./config.js";

/** Paths pino replaces with "[Redacted]", at the top level and one level down. */
export const REDACT = ["token", "botToken", "appToken", "signingSecret", "signing_secret", "password", "passwd", "secret", "authorization", "Authorization"].flatMap((k) => [k, `*.${k}`]);

/** Slack tokens inside free text (a library's message), which field redaction cannot see. */
export const redactText = (s: string): string => s.replace(/xox[a-z]-[\w-]+|xapp-[\w-]+/g, "xox*-REDACTED");

export interface LoggingOptions {
  level?: LogLevelName;
  /** Human-readable lines (local mode), through pino-pretty. */
  pretty?: boolean;
}

// Through process.stdout, so whatever watches it (a test, a log shipper on the pipe) sees every line.
const stdout = { write: (s: string): boolean => process.stdout.write(s) };

const options = (level: LogLevelName | undefined) => ({
  level: level ?? "info",
  base: null,
  timestamp: false,
  redact: { paths: REDACT },
  formatters: { level: (label: string) => ({ level: label }) },
});

let root: Pino | undefined;

/** Sets the level and the output of every component's logger from now on. */
export async function configureLogging(o: LoggingOptions): Promise<void> {
  if (!o.pretty) {
    root = pino(options(o.level), stdout);
    return;
  }
  // pino-pretty is loaded only when asked for: the plain JSON path stays a fast start.
  const { default: pretty } = await import("pino-pretty");
  root = pino(options(o.level), pretty({ sync: true, colorize: false, destination: 1 }));
}

function rootLogger(): Pino {
  const env = process.env.LOG_LEVEL?.toLowerCase();
  return (root ??= pino(options(env === "debug" || env === "warn" || env === "error" ? env : "info"), stdout));
}

/** A component's logger. Resolved at each call, so configureLogging later still applies. */
export function logger(component: string): { debug(rec: object): void; info(rec: object): void; warn(rec: object): void; error(rec: object): void } {
  const at = (level: "debug" | "info" | "warn" | "error") => (rec: object): void => rootLogger().child({ component })[level](rec);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * A component's logger for records that are not diagnostics (the probe audit trail): written at info whatever
 * LOG_LEVEL says, because an audit trail that a log level can switch off is no audit trail.
 */
export function recordLogger(component: string): { info(rec: object): void } {
  return { info: (rec: object): void => rootLogger().child({ component }, { level: "info" }).info(rec) };
}
