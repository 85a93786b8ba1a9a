// IMAP4rev1 responses (RFC 3501 section 7): tagged status, untagged data ("*"), continuations ("+") and literals ({n}).
import { codeFindings, type Reply, type ReplyRecord } from "../reply.js";

const STATUS = /^(\*|[A-Za-z0-9.]+) (OK|NO|BAD|BYE|PREAUTH)(?: (.*))?$/i;
const BARE_STATUS = /^(OK|NO|BAD|BYE|PREAUTH)(?: (.*))?$/i;

export interface ImapLine {
  /** "*" for untagged, "+" for a continuation, otherwise the tag. */
  tag: string;
  /** OK, NO, BAD, BYE, PREAUTH for status responses; absent for other untagged data. */
  word?: string;
  reply?: Reply;
  /** A literal announced at the end of the line ({n} or {n+}): n octets follow. */
  literal?: number;
}

function statusReply(word: string, rest: string, raw: string): Reply {
  const upper = word.toUpperCase();
  const status: Reply["status"] = upper === "OK" || upper === "PREAUTH" ? "ok" : "fail";
  const code = /^\[([^\]]*)\]\s*/.exec(rest);
  const text = code ? rest.slice(code[0].length) : rest;
  const reply: Reply = { status, text: text.trim(), raw };
  if (code) reply.code = (code[1] ?? "").split(" ")[0]?.toUpperCase() ?? "";
  return reply;
}

/** Reads one response line; the probe only needs status responses and continuations, other data is kept as text. */
export function parseImapLine(raw: string): ImapLine | undefined {
  const lit = /\{(\d{1,9})\+?\}$/.exec(raw);
  const literal = lit ? Number(lit[1]) : undefined;
  if (raw === "+" || raw.startsWith("+ ")) return { tag: "+", reply: { status: "continue", text: raw.slice(2).trim(), raw } };
  const m = STATUS.exec(raw);
  if (m) return { tag: m[1] ?? "", word: (m[2] ?? "").toUpperCase(), reply: statusReply(m[2] ?? "", m[3] ?? "", raw) };
  const data = /^\* (.*)$/.exec(raw);
  if (data) return { tag: "*", ...(literal !== undefined ? { literal } : {}) };
  return undefined;
}

/** Parses a status response as an article's signature writes it, with or without a tag ("NO [AUTHENTICATIONFAILED] ..."). */
export function parseImapReply(raw: string): Reply | undefined {
  const t = raw.trim();
  const bare = BARE_STATUS.exec(t);
  if (bare) return statusReply(bare[1] ?? "", bare[2] ?? "", raw);
  return parseImapLine(t)?.reply;
}

/** CAPABILITY names from an untagged CAPABILITY response or a [CAPABILITY ...] response code, upper case. */
export function capabilitiesIn(raw: string): string[] | undefined {
  const m = /^\* CAPABILITY (.*)$/i.exec(raw) ?? /\[CAPABILITY ([^\]]*)\]/i.exec(raw);
  return m ? (m[1] ?? "").trim().split(/\s+/).map((c) => c.toUpperCase()) : undefined;
}

/** A quoted string (RFC 3501 section 4.3) when the text allows it; otherwise undefined and the caller sends a literal. */
export function quoted(text: string): string | undefined {
  if (/[\r\n\0]/.test(text) || /[^\x20-\x7e]/.test(text)) return undefined;
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** What RFC 5530 response codes tell an administrator. */
const CODE_MEANINGS: Readonly<Record<string, string>> = {
  AUTHENTICATIONFAILED: "[AUTHENTICATIONFAILED]: wrong user name or password (RFC 5530)",
  AUTHORIZATIONFAILED: "[AUTHORIZATIONFAILED]: the credentials are right but this account may not use the mailbox (RFC 5530)",
  UNAVAILABLE: "[UNAVAILABLE]: a temporary problem on the server (RFC 5530); the same logon may work later",
  EXPIRED: "[EXPIRED]: the account's password or authorisation has expired (RFC 5530)",
  PRIVACYREQUIRED: "[PRIVACYREQUIRED]: the server needs TLS before this (RFC 5530); probe with tls starttls or implicit",
  CONTACTADMIN: "[CONTACTADMIN]: the server asks the user to contact an administrator (RFC 5530)",
  NOPERM: "[NOPERM]: the account has no access to this mailbox (RFC 5530)",
  INUSE: "[INUSE]: the mailbox is in use by another session (RFC 5530)",
  LIMIT: "[LIMIT]: a server limit was hit (too many sessions, RFC 5530)",
};

/** Findings any IMAP administrator reads from the replies themselves. */
export function imapFindings(replies: readonly ReplyRecord[]): string[] {
  return codeFindings(replies, CODE_MEANINGS);
}
