import { z } from "zod";

// Article ids are KB numbers where Microsoft published one (Q171435); otherwise a stable slug.
const articleId = z
  .string()
  .regex(/^(Q\d{6}|[A-Z][A-Za-z0-9]*(-[A-Za-z0-9]+)+)$/, "must be a KB number like Q171435 or a slug like E2007-1020");
const kbNumber = z.string().regex(/^Q\d{6}$/, "must be a KB number like Q165186");

export const EventSchema = z.strictObject({
  id: z.number().int().min(1).max(65535),
  source: z.string().min(1),
  type: z.string().min(1),
  category: z.string().min(1).optional(),
});

export const ProbeSignatureSchema = z.strictObject({
  // The client command the reply answers (PASS, USER, greeting, ...).
  after: z.enum(["greeting", "CAPA", "STLS", "USER", "PASS", "AUTH", "STAT", "QUIT"]),
  // Literal reply text as servers send it; matched case-insensitively after trimming.
  reply: z.string().min(4),
  meaning: z.string().min(1),
});

export const ProbeSchema = z.strictObject({
  kind: z.enum(["pop3", "smtp", "none"]),
  signatures: z.array(ProbeSignatureSchema).default([]),
});

export const ArticleSchema = z.strictObject({
  id: articleId,
  title: z.string().min(5),
  products: z.array(z.strictObject({ name: z.string().min(1), versions: z.array(z.string().min(1)).min(1) })).min(1),
  events: z.array(EventSchema).default([]),
  // Literal error text as it shows in logs, Event Viewer and telnet sessions.
  phrases: z.array(z.string().min(8)).min(1),
  // Extra lookup terms people type (shorter than phrases, not literal log text).
  keywords: z.array(z.string().min(2)).default([]),
  // Win32 error codes and HRESULTs behind the message, as written in logs (0x80070522).
  codes: z.array(z.string().regex(/^(0x[0-9A-Fa-f]{8}|\d{1,5}|\d\.\d\.\d{1,3})$/, "must be an HRESULT like 0x80070522, a Win32 code or an SMTP status like 5.7.1")).default([]),
  symptoms: z.array(z.string().min(5)).min(1),
  cause: z.string().min(20).max(600),
  resolution: z.array(z.string().min(5)).min(1),
  references: z.array(kbNumber).default([]),
  related: z.array(articleId).default([]),
  probe: ProbeSchema,
});

export type Article = z.infer<typeof ArticleSchema> & {
  /** Markdown body (the long form); not used for matching decisions. */
  body: string;
  /** File the article came from, for error messages and `kb list`. */
  file: string;
};
export type ArticleEvent = z.infer<typeof EventSchema>;
export type ProbeSignature = z.infer<typeof ProbeSignatureSchema>;
