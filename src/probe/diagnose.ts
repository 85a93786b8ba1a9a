// Reads the probe's replies against the knowledge base's probe signatures, plus findings any POP3 admin would make.
import type { Article, ProbeSignature } from "../knowledge/schema.js";
import { EXTENDED_CODE_MEANINGS, parseReply, type Pop3Reply } from "./reply.js";
import type { ProbeDiagnosis } from "./types.js";

export type ReplyAfter = ProbeSignature["after"];

export interface ReplyRecord {
  after: ReplyAfter;
  reply: Pop3Reply;
}

export interface DiagnosisInput {
  replies: readonly ReplyRecord[];
  articles: readonly Article[];
  /** What stopped the probe, already phrased for people; absent when it ran to the end. */
  failure?: string;
  /** Findings the run itself made (TLS, capabilities, refused, ...), in order. */
  findings: readonly string[];
  /** True when anything went wrong (the run decides: a self-signed certificate may be allowed). */
  fault: boolean;
  /** One line on what went right, used when nothing went wrong. */
  okSummary: string;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/\s+/g, " ").trim().replace(/[.!]+$/, "").trim();
}

/** PASS and AUTH are the same step (sending the password); a signature for one holds for the other. */
function sameStep(sig: ReplyAfter, seen: ReplyAfter): boolean {
  if (sig === seen) return true;
  return (sig === "PASS" && seen === "AUTH") || (sig === "AUTH" && seen === "PASS");
}

/** A signature matches when the status agrees, the extended code agrees (if it names one) and its text is in the reply. */
export function signatureMatches(sig: ProbeSignature, rec: ReplyRecord): boolean {
  if (!sameStep(sig.after, rec.after)) return false;
  const want = parseReply(sig.reply.trim());
  if (!want) return norm(rec.reply.raw).includes(norm(sig.reply));
  if (want.status !== rec.reply.status) return false;
  if (want.code && want.code !== rec.reply.code) return false;
  const text = norm(want.text);
  return text.length > 0 && norm(rec.reply.text).includes(text);
}

interface ArticleHit {
  article: Article;
  meaning: string;
  hits: number;
  order: number;
}

function matchArticles(replies: readonly ReplyRecord[], articles: readonly Article[]): ArticleHit[] {
  const hits: ArticleHit[] = [];
  articles.forEach((article, order) => {
    if (article.probe.kind !== "pop3") return;
    let first: string | undefined;
    let n = 0;
    for (const sig of article.probe.signatures) {
      if (replies.some((r) => signatureMatches(sig, r))) {
        n++;
        first ??= sig.meaning;
      }
    }
    if (first !== undefined) hits.push({ article, meaning: first, hits: n, order });
  });
  return hits.sort((a, b) => b.hits - a.hits || a.order - b.order);
}

const PLAINTEXT = /plain[- ]?text|clear[- ]?text|plaintext/i;
const SECURE = /\b(ssl|tls|secure|encrypt)/i;

/** Findings any POP3 administrator reads from the replies themselves. */
function replyFindings(replies: readonly ReplyRecord[]): string[] {
  const out: string[] = [];
  for (const { after, reply } of replies) {
    if (reply.status !== "-ERR") continue;
    const meaning = reply.code ? EXTENDED_CODE_MEANINGS[reply.code] : undefined;
    if (meaning) out.push(`${after}: ${meaning}`);
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

export function diagnose(input: DiagnosisInput): ProbeDiagnosis {
  const hits = matchArticles(input.replies, input.articles);
  const findings = input.failure !== undefined && !input.findings.includes(input.failure) ? [input.failure, ...input.findings] : [...input.findings];
  for (const f of replyFindings(input.replies)) if (!findings.includes(f)) findings.push(f);
  const articles = hits.map((h) => h.article.id);
  let summary: string;
  const top = hits[0];
  if (top) summary = `${top.meaning} (${articles.join(", ")})`;
  else if (input.failure) summary = input.failure;
  else if (input.fault) summary = findings[0] ?? "The probe found a fault.";
  else summary = input.okSummary;
  return { summary, articles, findings };
}
