// One audit line per probe request, whoever asked (a Slack user or a terminal) and however it ended.

export interface AuditEntry {
  audit: "probe";
  /** ISO time the request arrived. */
  at: string;
  /** Who asked: a Slack user id, or `cli:<login name>` for `exchange-bot probe` in a terminal. */
  user: string;
  /** The named host, or HOST:PORT for a host typed in a terminal. */
  host: string;
  /** ADDRESS:PORT actually connected to, when a connection was made: the host as typed may be a look-alike spelling. */
  connected?: string;
  outcome: "ok" | "fault" | "rate-limited" | "busy" | "error" | "not_allowed";
  /** The Slack channel the click came from (requests from Slack only). */
  channel?: string;
  ms?: number;
  articles?: string[];
  summary?: string;
}

import { jsonSafe } from "../safe-text.js";

export type AuditSink = (entry: AuditEntry) => void;

/** A JSON line on stdout, next to the bot's other log lines. */
export const stdoutAudit: AuditSink = (entry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};

/** A JSON line on stderr: the terminal's stdout carries the probe result (`--json` is read by other tools). */
export const stderrAudit: AuditSink = (entry) => {
  // A terminal reads stderr too: C1 controls and bidi overrides in a host name are written as \u escapes.
  process.stderr.write(`${jsonSafe(JSON.stringify(entry))}\n`);
};
