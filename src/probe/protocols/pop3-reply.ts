// POP3 replies per RFC 1939 (status indicators, multi-line bodies) and RFC 2449 (CAPA, extended response codes).
import { codeFindings, type Reply, type ReplyRecord } from "../reply.js";

/** Parses one reply line (+OK, -ERR, or "+" for a SASL continuation, RFC 5034); undefined when it is not a POP3 reply. */
export function parseReply(raw: string): Reply | undefined {
  const m = /^(\+OK|-ERR|\+)(?:[ \t]+(.*))?$/i.exec(raw) ?? /^(\+OK|-ERR)(.*)$/i.exec(raw);
  if (!m) return undefined;
  const head = (m[1] ?? "").toUpperCase();
  const status: Reply["status"] = head === "+OK" ? "ok" : head === "-ERR" ? "fail" : "continue";
  let text = (m[2] ?? "").trim();
  const code = /^\[([A-Za-z0-9-]+(?:\/[A-Za-z0-9-]+)*)\]\s*/.exec(text);
  if (code && status !== "continue") {
    text = text.slice(code[0].length);
    return { status, code: (code[1] ?? "").toUpperCase(), text, raw };
  }
  return { status, text, raw };
}

/** What each RFC 2449 / RFC 3206 extended code tells an administrator. */
export const EXTENDED_CODE_MEANINGS: Readonly<Record<string, string>> = {
  AUTH: "[AUTH]: the server rejected the credentials or the way they were sent (not a temporary problem)",
  "SYS/TEMP": "[SYS/TEMP]: a temporary problem on the server; the same logon may work later",
  "SYS/PERM": "[SYS/PERM]: a permanent problem on the server; an administrator has to fix it",
  "IN-USE": "[IN-USE]: the mailbox is locked by another POP3 session (a client still connected or stuck)",
  "LOGIN-DELAY": "[LOGIN-DELAY]: the server refuses logons this soon after the last one",
};

/** Removes the byte-stuffing of a multi-line body line (RFC 1939 section 3). */
export function unstuff(line: string): string {
  return line.startsWith(".") ? line.slice(1) : line;
}

export interface Capabilities {
  /** Upper-cased capability names (USER, STLS, SASL, TOP, ...). */
  names: Set<string>;
  /** SASL mechanisms, upper case. */
  sasl: string[];
  /** Every capability line as sent (after unstuffing). */
  lines: string[];
}

export function parseCapabilities(lines: string[]): Capabilities {
  const names = new Set<string>();
  let sasl: string[] = [];
  for (const line of lines) {
    const [name, ...args] = line.trim().split(/\s+/);
    if (!name) continue;
    const upper = name.toUpperCase();
    names.add(upper);
    if (upper === "SASL") sasl = args.map((a) => a.toUpperCase());
  }
  return { names, sasl, lines };
}

const PLAINTEXT = /plain[- ]?text|clear[- ]?text|plaintext/i;
const SECURE = /\b(ssl|tls|secure|encrypt)/i;

/** Findings any POP3 administrator reads from the replies themselves. */
export function pop3Findings(replies: readonly ReplyRecord[]): string[] {
  const out = codeFindings(replies, EXTENDED_CODE_MEANINGS);
  for (const { after, reply } of replies) {
    if (reply.status !== "fail") continue;
    if (/not valid in this state/i.test(reply.text)) {
      out.push(`${after}: "Command is not valid in this state": the server did not expect ${after} here (commands out of order, or the session was already rejected)`);
    }
    if (PLAINTEXT.test(reply.text) && SECURE.test(reply.text)) {
      out.push(`${after}: TLS required: the server refuses plain-text logons on an unencrypted connection; probe with tls starttls or implicit`);
    } else if (PLAINTEXT.test(reply.text)) {
      out.push(`${after}: plain-text login disabled on this server`);
    }
  }
  return out;
}
