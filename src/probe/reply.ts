// One shape for a server reply, whatever the protocol; each protocol has its own parser that builds it.
export type ReplyStatus = "ok" | "fail" | "continue";

export interface Reply {
  /** POP3 +OK / -ERR / "+"; SMTP 2xx-3xx / 4xx-5xx / 334; IMAP OK / NO, BAD, BYE / "+". */
  status: ReplyStatus;
  /** POP3 and IMAP: the response code in brackets, upper case (AUTH, SYS/TEMP, AUTHENTICATIONFAILED); SMTP: the three digits. */
  code?: string;
  /** SMTP: the RFC 3463 enhanced status code (5.7.1), when the server sent one. */
  enhanced?: string;
  /** Human text after status and codes (all lines of a multi-line SMTP reply, joined by a space). */
  text: string;
  /** The reply as the server sent it (lines joined by CRLF; decoded, not yet sanitised). */
  raw: string;
}

/** A reply and the client command it answers ("greeting" for the first). */
export interface ReplyRecord {
  after: string;
  reply: Reply;
}

/** Parses one reply as written in a knowledge article's probe signature (no tag, one line). */
export type ReplyParser = (raw: string) => Reply | undefined;

/** One finding per failed reply whose response code the table explains ("PASS: [AUTH]: ..."). */
export function codeFindings(replies: readonly ReplyRecord[], meanings: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const { after, reply } of replies) {
    const meaning = reply.status === "fail" && reply.code ? meanings[reply.code] : undefined;
    if (meaning) out.push(`${after}: ${meaning}`);
  }
  return out;
}
