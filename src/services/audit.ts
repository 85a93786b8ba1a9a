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

export type AuditSink = (entry: AuditEntry) => void;

