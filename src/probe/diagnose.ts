// Reads a probe's replies against the knowledge base's probe signatures: the engine reports, this step names articles.
import type { Article, ProbeSignature } from "../knowledge/schema.js";
import { parseImapReply } from "./protocols/imap-reply.js";
import { parseReply } from "./protocols/pop3-reply.js";
import { parseSmtpReply } from "./protocols/smtp-reply.js";
import type { ReplyParser, ReplyRecord } from "./reply.js";
import type { ProbeDiagnosis, ProbeOutcome, ProbeResult, Protocol } from "./types.js";

export type { ReplyRecord } from "./reply.js";

/** How each protocol's signatures are read: the same grammar as the replies they are compared with. */
const PARSERS: Readonly<Record<Protocol, ReplyParser>> = { pop3: parseReply, smtp: parseSmtpReply, imap: parseImapReply };

export interface DiagnosisInput {
  /** pop3 when absent. */
  protocol?: Protocol;
  replies: readonly ReplyRecord[];
  articles: readonly Article[];
  /** What stopped the probe, already phrased for people; absent when it ran to the end. */
  failure?: string;
  /** Findings the run made (TLS, capabilities, refused, the replies' own codes, ...), in order. */
  findings: readonly string[];
  /** True when anything went wrong (the run decides: a self-signed certificate may be allowed). */
  fault: boolean;
  /** One line on what went right, used when nothing went wrong. */
  okSummary: string;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/\s+/g, " ").trim().replace(/[.!]+$/, "").trim();
}

/** Steps that send the same thing (the password, or the mailbox query): a signature for one holds for the other. */
const SAME_STEP: ReadonlyArray<ReadonlySet<string>> = [new Set(["PASS", "AUTH"]), new Set(["LOGIN", "AUTHENTICATE"]), new Set(["SELECT", "STATUS"])];

function sameStep(sig: string, seen: string): boolean {
  return sig === seen || SAME_STEP.some((g) => g.has(sig) && g.has(seen));
}

/** A signature matches when the status agrees, each code it names agrees, and its text is in the reply. */
export function signatureMatches(sig: Pick<ProbeSignature, "after" | "reply">, rec: ReplyRecord, protocol: Protocol = "pop3"): boolean {
  if (!sameStep(sig.after, rec.after)) return false;
  const want = PARSERS[protocol](sig.reply.trim());
  if (!want) return norm(rec.reply.raw).includes(norm(sig.reply));
  if (want.status !== rec.reply.status) return false;
  if (want.code && want.code !== rec.reply.code) return false;
  if (want.enhanced && want.enhanced !== rec.reply.enhanced) return false;
  const text = norm(want.text);
  return text.length > 0 && norm(rec.reply.text).includes(text);
}

interface ArticleHit {
  article: Article;
  meaning: string;
  hits: number;
  order: number;
}

function matchArticles(protocol: Protocol, replies: readonly ReplyRecord[], articles: readonly Article[]): ArticleHit[] {
  const hits: ArticleHit[] = [];
  articles.forEach((article, order) => {
    if (article.probe.kind !== protocol) return;
    let first: string | undefined;
    let n = 0;
    for (const sig of article.probe.signatures) {
      if (replies.some((r) => signatureMatches(sig, r, protocol))) {
        n++;
        first ??= sig.meaning;
      }
    }
    if (first !== undefined) hits.push({ article, meaning: first, hits: n, order });
  });
  return hits.sort((a, b) => b.hits - a.hits || a.order - b.order);
}

export function diagnose(input: DiagnosisInput): ProbeDiagnosis {
  const hits = matchArticles(input.protocol ?? "pop3", input.replies, input.articles);
  const findings = input.failure !== undefined && !input.findings.includes(input.failure) ? [input.failure, ...input.findings] : [...input.findings];
  const articles = hits.map((h) => h.article.id);
  let summary: string;
  const top = hits[0];
  if (top) summary = `${top.meaning} (${articles.join(", ")})`;
  else if (input.failure) summary = input.failure;
  else if (input.fault) summary = findings[0] ?? "The probe found a fault.";
  else summary = input.okSummary;
  return { summary, articles, findings };
}

/** The engine's outcome read against the knowledge base: what callers show. */
export function diagnoseOutcome(o: ProbeOutcome, articles: readonly Article[]): ProbeResult {
  const diagnosis = diagnose({ ...o, fault: !o.ok, articles });
  const r: ProbeResult = { ok: o.ok, host: o.host, port: o.port, tls: o.tls, protocol: o.protocol, steps: o.steps, lines: o.lines, diagnosis, totalMs: o.totalMs };
  if (o.name !== undefined) r.name = o.name;
  if (o.tlsInfo) r.tlsInfo = o.tlsInfo;
  return r;
}
