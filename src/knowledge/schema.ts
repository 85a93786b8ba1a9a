import { z } from "zod";

// Article ids are KB numbers where Microsoft published one (Q171435); otherwise a stable slug.
export const ArticleIdSchema = z
  .string()
  .regex(/^(Q\d{6}|[A-Z][A-Za-z0-9]*(-[A-Za-z0-9]+)+)$/, "must be a KB number like Q171435 or a slug like E2007-1020");
const kbNumber = z.string().regex(/^Q\d{6}$/, "must be a KB number like Q165186");

export const EventSchema = z.strictObject({
  id: z.number().int().min(1).max(65535),
  source: z.string().min(1),
  type: z.string().min(1),
  category: z.string().min(1).optional(),
  // The event's symbolic name in Microsoft's event pages (SmtpReceiveAuthenticationFailed): answered like an id.
  symbol: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,}$/, "must be one word like SmtpReceiveAuthenticationFailed").optional(),
  // Exchange versions that log this event under this source ("2007", "2010", "2013", "2016", "2019", "SE").
  versions: z.array(z.string().min(1)).min(1).optional(),
});

// The client command each reply answers, per protocol ("greeting" is the server's first reply).
export const PROBE_STEPS = {
  pop3: ["greeting", "CAPA", "STLS", "USER", "PASS", "AUTH", "STAT", "QUIT"],
  smtp: ["greeting", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "RSET", "QUIT"],
  imap: ["greeting", "CAPABILITY", "STARTTLS", "LOGIN", "AUTHENTICATE", "SELECT", "STATUS", "LOGOUT"],
} as const;

function signatures<T extends readonly [string, ...string[]]>(steps: T) {
  const sig = z.strictObject({
    after: z.enum(steps),
    // Literal reply text as servers send it (SMTP "530 5.7.1 ...", IMAP "NO [AUTHENTICATIONFAILED] ..."); matched case-insensitively after trimming.
    reply: z.string().min(4),
    meaning: z.string().min(1),
    // Counts only when the server is one of these (case-insensitive text in its greeting or in the reply itself):
    // Exchange Online and an on-premises connector send the same words, and only the banner tells them apart.
    server: z.array(z.string().min(3)).min(1).optional(),
  });
  return z.array(sig).default([]);
}

// A union keyed on `kind`: each protocol names its own steps, so a typo'd or foreign step is an error.
export const ProbeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("pop3"), signatures: signatures(PROBE_STEPS.pop3) }),
  z.strictObject({ kind: z.literal("smtp"), signatures: signatures(PROBE_STEPS.smtp) }),
  z.strictObject({ kind: z.literal("imap"), signatures: signatures(PROBE_STEPS.imap) }),
  z.strictObject({ kind: z.literal("none"), signatures: z.array(z.never()).max(0).default([]) }),
]);

/** A resolution step: plain text, or text with the command to run or the path to follow (rendered as code). */
export const StepSchema = z.union([
  z.string().min(5),
  z
    .strictObject({
      step: z.string().min(5),
      // A shell or Exchange Management Shell command, exactly as it is typed (may span lines).
      command: z.string().min(2).optional(),
      // A menu path, file path or registry key to follow.
      path: z.string().min(2).optional(),
    })
    .refine((s) => s.command !== undefined || s.path !== undefined, "a step written as an object needs a command or a path (or write it as plain text)"),
]);

const httpsUrl = z.string().regex(/^https:\/\/[^\s<>|]+$/, "must be an https:// address without spaces, '<', '>' or '|'");

/** A reference: a KB number, or a KB number / title with the address where it can be read. */
export const ReferenceSchema = z.union([
  kbNumber,
  z
    .strictObject({ kb: kbNumber.optional(), title: z.string().min(3).optional(), url: httpsUrl })
    .refine((r) => r.kb !== undefined || r.title !== undefined, "a reference with a url needs a kb number or a title"),
]);

// A phrase is literal text, or an object that also says whether it is a generic Windows message (it then
// counts in a channel only next to one of the article's `context` terms) and how localized Windows prints it.
export const PhraseSchema = z.strictObject({
  text: z.string().min(8),
  generic: z.boolean().default(false),
  // Language code (de, fr, es, it, pt-BR) to the same message as that language's Windows prints it.
  variants: z
    .record(z.string(), z.array(z.string().min(8)).min(1))
    .default({})
    .refine((v) => Object.keys(v).every((k) => /^[a-z]{2}(-[A-Z]{2})?$/.test(k)), "keys must be language codes like de, fr or pt-BR"),
});

/** A public page an article was written from. */
export const SourceSchema = z.strictObject({ url: httpsUrl, title: z.string().min(3) });

/** A dated fact that changes the advice ("from the end of December 2026 ..."), with the page that says it. */
export const TimelineEntrySchema = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "must be a date like 2026-12-31 or a month like 2026-12"),
  fact: z.string().min(10),
  source: httpsUrl,
});

/** One cause among several behind the same reply or message, and the check that points to it. */
export const DifferentialSchema = z.strictObject({
  cause: z.string().min(5),
  check: z.string().min(10),
  // The article that covers this cause, when another one does.
  article: ArticleIdSchema.optional(),
});

// Where the fault lives: on-premises Exchange Server, Exchange Online, or the hybrid path between them.
export const PRODUCT_KINDS = ["exchange-server", "exchange-online", "hybrid"] as const;

// A reply as the server sends it, from its start: "535 5.7.139", "550 5.7.57", "-ERR Logon failure", "NO AUTHENTICATE failed".
export const ReplySchema = z
  .string()
  .min(4)
  .regex(/^([2-5]\d\d( [245]\.\d{1,3}\.\d{1,3})?|[245]\.\d{1,3}\.\d{1,3}|-ERR|\+OK|NO|BAD|\*)( .*)?$/, "must start as the server sends it: an SMTP code (535 5.7.139, 5.7.57) or a POP3/IMAP status (-ERR ..., NO ...)");

export const ArticleSchema = z.strictObject({
  id: ArticleIdSchema,
  title: z.string().min(5),
  // Microsoft's own title with its category prefix ("XFOR: POP3 Logon Attempt Fails with Event 11202"):
  // searchable in /exchange, never shown as the title.
  kbTitle: z.string().min(5).optional(),
  products: z.array(z.strictObject({ name: z.string().min(1), versions: z.array(z.string().min(1)).min(1) })).min(1),
  events: z.array(EventSchema).default([]),
  // Literal error text as it shows in logs, Event Viewer and telnet sessions.
  phrases: z.array(z.union([z.string().min(8), PhraseSchema])).min(1),
  // Words that put a generic phrase in this article's world: its event source, protocol words, server roles.
  context: z.array(z.string().min(2)).default([]),
  // Extra lookup terms people type (shorter than phrases, not literal log text).
  keywords: z.array(z.string().min(2)).default([]),
  // Win32 error codes and HRESULTs behind the message, as written in logs (0x80070522).
  codes: z.array(z.string().regex(/^(0x[0-9A-Fa-f]{8}|\d{1,5}|\d\.\d\.\d{1,3})$/, "must be an HRESULT like 0x80070522, a Win32 code or an SMTP status like 5.7.1")).default([]),
  symptoms: z.array(z.string().min(5)).min(1),
  cause: z.string().min(20).max(600),
  resolution: z.array(StepSchema).min(1),
  // Other KB articles this one cites; its own id may be listed but need not be.
  references: z.array(ReferenceSchema).default([]),
  related: z.array(ArticleIdSchema).default([]),
  // The public pages this article was written from; `kb lint` requires them on every article but the four seeds.
  sources: z.array(SourceSchema).min(1).optional(),
  // Every SMTP, POP3 or IMAP reply this article answers, as the server sends it.
  replies: z.array(ReplySchema).default([]),
  product: z.enum(PRODUCT_KINDS).default("exchange-server"),
  // The family it belongs to, for browsing (`/exchange list transport`): a lower-case slug.
  category: z.string().regex(/^[a-z][a-z0-9-]+$/, "must be a lower-case slug like transport-auth").optional(),
  timeline: z.array(TimelineEntrySchema).default([]),
  // What to check first when one reply has several causes: the check that tells them apart.
  checkFirst: z.string().min(20).optional(),
  differential: z.array(DifferentialSchema).default([]),
  // A draft from `kb new` is never answered until this line is removed.
  draft: z.boolean().default(false),
  // Most articles have no probe; saying so is optional.
  probe: ProbeSchema.default({ kind: "none", signatures: [] }),
});

export interface ResolutionStep {
  text: string;
  command?: string;
  path?: string;
}

export interface ReferenceLink {
  /** The KB number or title shown. */
  label: string;
  url: string;
}

type ParsedArticle = z.infer<typeof ArticleSchema>;

// Fields added in round three default when parsed from a file; articles built in code may leave them out.
type RoundThreeDefaults = "replies" | "product" | "timeline" | "differential" | "draft";

export type Article = Omit<ParsedArticle, "resolution" | "references" | RoundThreeDefaults> &
  Partial<Pick<ParsedArticle, RoundThreeDefaults>> & {
  /** Each step's text, in order (what every consumer reads; commands and paths are in `steps`). */
  resolution: string[];
  /** KB numbers referred to, in order (references given only by title are in `links`). */
  references: string[];
  /** The steps with their commands and paths; absent on articles built in code, where `resolution` is all there is. */
  steps?: ResolutionStep[];
  /** References that carry an address, for rendering as links. */
  links?: ReferenceLink[];
  /** Markdown body (the long form); not used for matching decisions. */
  body: string;
  /** File the article came from, for error messages and `kb list`. */
  file: string;
};
export type Phrase = z.infer<typeof PhraseSchema>;
export type ArticleEvent = z.infer<typeof EventSchema>;
export type ArticleProbe = z.infer<typeof ProbeSchema>;
export type ProbeSignature = Extract<ArticleProbe, { kind: "pop3" | "smtp" | "imap" }>["signatures"][number];

/** From the schema's shape to the Article consumers read: step texts and KB numbers stay plain strings. */
export function toArticle(p: ParsedArticle, body: string, file: string): Article {
  const steps: ResolutionStep[] = p.resolution.map((s) =>
    typeof s === "string" ? { text: s } : { text: s.step, ...(s.command !== undefined ? { command: s.command } : {}), ...(s.path !== undefined ? { path: s.path } : {}) },
  );
  const references: string[] = [];
  const links: ReferenceLink[] = [];
  for (const r of p.references) {
    if (typeof r === "string") references.push(r);
    else {
      if (r.kb !== undefined) references.push(r.kb);
      links.push({ label: r.kb !== undefined && r.title !== undefined ? `${r.kb}: ${r.title}` : (r.kb ?? r.title ?? r.url), url: r.url });
    }
  }
  return { ...p, resolution: steps.map((s) => s.text), references, steps, links, body, file };
}
