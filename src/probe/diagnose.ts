// Reads a probe's replies against the knowledge base's probe signatures: the engine reports, this step names articles.
import { phraseOf } from "../knowledge/phrases.js";
import type { Article, ProbeSignature } from "../knowledge/schema.js";
import { parseImapReply } from "./protocols/imap-reply.js";
import { parseReply } from "./protocols/pop3-reply.js";
import { parseSmtpReply } from "./protocols/smtp-reply.js";
import type { Reply, ReplyParser, ReplyRecord } from "./reply.js";
import type { ProbeDiagnosis, ProbeOutcome, ProbeResult, Protocol } from "./types.js";

export type { ReplyRecord } from "./reply.js";

/** How each protocol's signatures are read: the same grammar as the replies they are compared with. */
const PARSERS: Readonly<Record<Protocol, ReplyParser>> = { pop3: parseReply, smtp: parseSmtpReply, imap: parseImapReply };

export interface DiagnosisInput {
  /** pop3 when absent. */
  protocol?: Protocol;
  replies: readonly ReplyRecord[];
  articles: readonly Article[];
  /** The host as the probe named it: a server-limited signature also counts when this names the server. */
  host?: string;
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

/**
 * The signature's reply text as localized Windows servers word it, from the article's own phrase variants:
 * the variants of a phrase that is the signature's reply ("-ERR Logon failure: ...") or its text ("Logon
 * failure: ..."). Data, not code: an article gains languages by adding variants.
 */
export function localizedTexts(sig: Pick<ProbeSignature, "reply">, article: Pick<Article, "phrases">, protocol: Protocol = "pop3"): string[] {
  const parse = PARSERS[protocol];
  const want = parse(sig.reply.trim());
  const keys = new Set([norm(sig.reply), ...(want ? [norm(want.text)] : [])]);
  const out: string[] = [];
  for (const raw of article.phrases) {
    const p = phraseOf(raw);
    if (!keys.has(norm(p.text))) continue;
    for (const texts of Object.values(p.variants)) {
      for (const t of texts) {
        // A whole reply ("-ERR Anmeldung ...") gives its text; a bare message is the text already.
        const r = want ? parse(t.trim()) : undefined;
        out.push(r && want && r.status === want.status ? r.text : t);
      }
    }
  }
  return out;
}

/** A signature ready to compare: its reply parsed and its texts normalised, once. */
interface CompiledSignature {
  after: string;
  /** The reply as the protocol's parser reads it; undefined when it does not parse (then raw text is compared). */
  want: Reply | undefined;
  /** Normalised texts, any of which must be in the reply. */
  texts: string[];
}

function compileSignature(sig: Pick<ProbeSignature, "after" | "reply">, protocol: Protocol, localized: readonly string[]): CompiledSignature {
  const want = PARSERS[protocol](sig.reply.trim());
  // A parsed reply's empty text never matches; an unparsed reply is compared as it is written.
  const texts = want ? [want.text, ...localized].map(norm).filter((t) => t.length > 0) : [sig.reply, ...localized].map(norm);
  return { after: sig.after, want, texts };
}

function compiledMatches(c: CompiledSignature, rec: ReplyRecord): boolean {
  if (!sameStep(c.after, rec.after)) return false;
  const want = c.want;
  if (!want) {
    const got = norm(rec.reply.raw);
    return c.texts.some((t) => got.includes(t));
  }
  if (want.status !== rec.reply.status) return false;
  if (want.code && want.code !== rec.reply.code) return false;
  if (want.enhanced && want.enhanced !== rec.reply.enhanced) return false;
  const got = norm(rec.reply.text);
  return c.texts.some((t) => got.includes(t));
}

/**
 * A signature matches when the status agrees, each code it names agrees, and its text (or one of the
 * `localized` texts, see localizedTexts) is in the reply.
 */
export function signatureMatches(sig: Pick<ProbeSignature, "after" | "reply">, rec: ReplyRecord, protocol: Protocol = "pop3", localized: readonly string[] = []): boolean {
  return compiledMatches(compileSignature(sig, protocol, localized), rec);
}

/** Per signature, compiled with its localized texts: loaded articles never change (a reload makes new objects), so once is enough. */
const COMPILED = new WeakMap<object, CompiledSignature>();

function compiledOnce(sig: ProbeSignature, article: Article, protocol: Protocol): CompiledSignature {
  let c = COMPILED.get(sig);
  if (!c) COMPILED.set(sig, (c = compileSignature(sig, protocol, localizedTexts(sig, article, protocol))));
  return c;
}

interface ArticleHit {
  article: Article;
  meaning: string;
  hits: number;
  order: number;
}

/** A signature limited to some servers counts when the host probed, the greeting or the matched reply names one of them. */
function fromServer(sig: ProbeSignature, matched: ReplyRecord, replies: readonly ReplyRecord[], host: string): boolean {
  if (sig.server === undefined) return true;
  const texts = [host, matched.reply.text, ...replies.filter((r) => r.after === "greeting").map((r) => r.reply.text)].map((t) => t.toLowerCase());
  return sig.server.some((s) => texts.some((t) => t.includes(s.toLowerCase())));
}

function matchArticles(protocol: Protocol, replies: readonly ReplyRecord[], articles: readonly Article[], host: string): ArticleHit[] {
  const hits: ArticleHit[] = [];
  articles.forEach((article, order) => {
    if (article.probe.kind !== protocol || article.draft === true) return;
    let first: string | undefined;
    let n = 0;
    for (const sig of article.probe.signatures) {
      const c = compiledOnce(sig, article, protocol);
      if (replies.some((r) => compiledMatches(c, r) && fromServer(sig, r, replies, host))) {
        n++;
        first ??= sig.meaning;
      }
    }
    if (first !== undefined) hits.push({ article, meaning: first, hits: n, order });
  });
  return hits.sort((a, b) => b.hits - a.hits || a.order - b.order);
}

export function diagnose(input: DiagnosisInput): ProbeDiagnosis {
  const hits = matchArticles(input.protocol ?? "pop3", input.replies, input.articles, input.host ?? "");
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
  if (o.connectedTo) r.connectedTo = o.connectedTo;
  return r;
}
