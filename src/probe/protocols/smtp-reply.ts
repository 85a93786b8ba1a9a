// SMTP replies (RFC 5321 section 4.2): three digits, "-" on every line but the last, RFC 3463 enhanced status codes (RFC 2034).
import type { Reply, ReplyRecord } from "../reply.js";

export interface SmtpLine {
  code: string;
  /** True on the last line of a reply ("250 " rather than "250-"). */
  last: boolean;
  text: string;
}

/** One line of a reply; undefined when it is not SMTP. A bare "250" is a last line with no text. */
export function parseSmtpLine(raw: string): SmtpLine | undefined {
  const m = /^([2-5][0-9][0-9])(?:([ -])(.*))?$/.exec(raw);
  if (!m) return undefined;
  return { code: m[1] ?? "", last: m[2] !== "-", text: m[3] ?? "" };
}

const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?:\s+|$)/;

/** Builds the reply from its lines (all with the same code, RFC 5321 4.2.1); the enhanced code is read from the first line. */
export function smtpReply(lines: readonly SmtpLine[], raws: readonly string[]): Reply {
  const code = lines[0]?.code ?? "";
  let enhanced: string | undefined;
  const texts = lines.map((l, i) => {
    const m = ENHANCED.exec(l.text);
    // RFC 2034: the class digit of the enhanced code matches the reply's; a "5.7.1" on a 250 is text, not a code.
    if (!m || m[1] !== code[0]) return l.text;
    if (i === 0) enhanced = `${m[1]}.${m[2]}.${m[3]}`;
    return l.text.slice(m[0].length);
  });
  const status: Reply["status"] = code === "334" || code === "354" ? "continue" : code[0] === "2" || code[0] === "3" ? "ok" : "fail";
  const reply: Reply = { status, code, text: texts.join(" ").trim(), raw: raws.join("\r\n") };
  if (enhanced !== undefined) reply.enhanced = enhanced;
  return reply;
}

/** Parses one reply line as an article's signature writes it ("530 5.7.1 Client was not authenticated"). */
export function parseSmtpReply(raw: string): Reply | undefined {
  const line = parseSmtpLine(raw.trim());
  return line ? smtpReply([line], [raw]) : undefined;
}

/** EHLO keywords (RFC 5321 4.1.1.1): the first line greets, each further line is a keyword and its parameters. */
export function parseEhlo(reply: Reply): { names: Set<string>; auth: string[] } {
  const names = new Set<string>();
  let auth: string[] = [];
  for (const line of reply.raw.split("\r\n").slice(1)) {
    const [kw, ...args] = line.slice(4).trim().split(/\s+/);
    if (!kw) continue;
    const upper = kw.toUpperCase();
    names.add(upper);
    // "AUTH=LOGIN PLAIN" is what old Exchange and Outlook Express expected; treat it as AUTH.
    if (upper === "AUTH" || upper.startsWith("AUTH=")) {
      names.add("AUTH");
      auth = [...auth, ...(upper.startsWith("AUTH=") ? [upper.slice(5)] : []), ...args.map((a) => a.toUpperCase())];
    }
  }
  return { names, auth: [...new Set(auth)] };
}

/** What RFC 3463 / RFC 4954 codes tell an administrator who runs a submission service. */
const CODE_MEANINGS: ReadonlyArray<[RegExp, string]> = [
  [/^5\.7\.0$|^530$/, "the server requires authentication before this command (anonymous submission refused)"],
  [/^5\.7\.8$|^535$/, "authentication credentials invalid (RFC 4954 535 5.7.8): wrong user name or password"],
  [/^5\.7\.9$|^534$/, "the authentication mechanism is too weak for this server (RFC 4954 534 5.7.9)"],
  [/^5\.7\.11$|^538$/, "the server requires TLS before this authentication mechanism (RFC 4954 538 5.7.11)"],
  [/^5\.7\.1$/, "delivery not authorized (RFC 3463 5.7.1): the sender or this account may not submit or relay this mail"],
  [/^4\.7\.0$|^454$/, "temporary authentication failure (RFC 4954 454 4.7.0): try again later"],
  [/^5\.7\.\d+$/, "security or policy refusal (RFC 3463 class 5.7)"],
];

/** Findings any SMTP administrator reads from the replies themselves. */
export function smtpFindings(replies: readonly ReplyRecord[]): string[] {
  const out: string[] = [];
  for (const { after, reply } of replies) {
    if (reply.status !== "fail") continue;
    const key = reply.enhanced ?? reply.code ?? "";
    const hit = CODE_MEANINGS.find(([re]) => re.test(key)) ?? CODE_MEANINGS.find(([re]) => re.test(reply.code ?? ""));
    if (hit) out.push(`${after}: ${reply.code}${reply.enhanced ? ` ${reply.enhanced}` : ""}: ${hit[1]}`);
  }
  return out;
}
