// The answer to a recognised error: cause, identifiers, confidence, numbered steps, probe and feedback buttons.
import type { Button, RichTextBlock, RichTextList } from "@slack/types";
import type { Article, ResolutionStep } from "../knowledge/schema.js";
import { stepsOf } from "../knowledge/steps.js";
import type { Match } from "../match/types.js";
import type { NamedHost, Protocol } from "../probe/types.js";
import { ACTION, BLOCK, actionId, encodeProbeValue } from "./actions.js";
import { probeButtonText } from "./probe-buttons.js";
import { actions, button, context, packMessages, sections, splitText, title, type Block, type SlackMessage } from "./blocks.js";
import { escapeMrkdwn, escapeUntrusted, plainText, quoteUserText, userMention } from "./escape.js";
import { LIMITS } from "./limits.js";
import { causeFirst } from "./differential.js";

/** Longest text of one list item; longer steps go on in the blocks that follow. */
const STEP_MAX = 2900;
/** Items in one rich_text list block (each block stays under the 3,000 character cap too). */
const ITEMS_PER_LIST = 30;

export function confidenceLabel(score: number): string {
  const pct = Math.round(Math.max(0, Math.min(1, score)) * 100);
  const word = score >= 0.8 ? "high" : score >= 0.5 ? "medium" : "low";
  return `${word} (${pct}%)`;
}

/** What the renderers may know beyond the match: the other articles (for "See also") and who asked what. */
export interface AnswerContext {
  byId?: (id: string) => Article | undefined;
  /** /exchange: the person who asked (a verified user id) and the command text, shown above the answer. */
  asked?: { userId: string | undefined; command: string; text: string };
}

/** A link the knowledge base gives (already checked to be https:// with no '<', '>', '|' or space). */
function mrkdwnLink(url: string, label: string): string {
  return /^https:\/\/[^\s<>|]+$/.test(url) ? `<${url}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

/** "Event 11202 (MSExchangePOP3, Failure Audit) · KB Q171435": KB numbers are links where the article gives one. */
export function identifiers(a: Article): string {
  const parts: string[] = [];
  for (const e of a.events) parts.push(`Event ${e.id} (${escapeMrkdwn(e.source)}, ${escapeMrkdwn(e.type)})`);
  const kbs = new Set([...(/^Q\d{6}$/.test(a.id) ? [a.id] : []), ...a.references]);
  const url = (kb: string): string | undefined => a.links?.find((l) => l.label === kb || l.label.startsWith(`${kb}:`))?.url;
  if (kbs.size) parts.push(`KB ${[...kbs].map((kb) => { const u = url(kb); return u ? mrkdwnLink(u, kb) : kb; }).join(", ")}`);
  else parts.push(`Article ${escapeMrkdwn(a.id)}`);
  return parts.join(" · ");
}

/** References given by title only (not a KB number), as links: "Add-ADPermission (Exchange Server 2007)". */
function titledReferences(a: Article): string | undefined {
  const titled = (a.links ?? []).filter((l) => !/^Q\d{6}(:|$)/.test(l.label));
  return titled.length ? `References: ${titled.map((l) => mrkdwnLink(l.url, l.label)).join(" · ")}` : undefined;
}

/** "See also: Q189732 (XADM: …)": the article's related ids, with titles when the knowledge base has them. */
export function seeAlso(a: Article, byId?: AnswerContext["byId"]): string | undefined {
  if (!a.related.length) return undefined;
  const items = a.related.map((id) => {
    const r = byId?.(id);
    return r ? `*${escapeMrkdwn(id)}* ${escapeMrkdwn(r.title)}` : `*${escapeMrkdwn(id)}*`;
  });
  return `See also: ${items.join(" · ")}`;
}

function evidenceLine(m: Match): string {
  const top = m.evidence.slice(0, 3).map((e) => {
    const d = Array.from(e.detail);
    return escapeUntrusted(d.length > 80 ? `${d.slice(0, 79).join("")}…` : e.detail);
  });
  return `Confidence: ${confidenceLabel(m.score)}${top.length ? ` · matched ${top.join("; ")}` : ""}`;
}

/** A list item: the step's text, then its path as inline code. */
interface Item {
  text: string;
  path?: string;
}

/** Slack's rich_text_list takes `offset` (where numbering starts); @slack/types 2.22 does not declare it yet. */
type OrderedList = RichTextList & { offset: number };

function richList(items: Item[], offset: number): RichTextBlock {
  const list: OrderedList = {
    type: "rich_text_list",
    style: "ordered",
    indent: 0,
    offset,
    elements: items.map((t) => ({
      type: "rich_text_section",
      elements: [{ type: "text", text: t.text }, ...(t.path ? [{ type: "text" as const, text: " " }, { type: "text" as const, text: t.path, style: { code: true } }] : [])],
    })),
  };
  return { type: "rich_text", elements: [list] };
}

function codeBlock(code: string): RichTextBlock {
  return { type: "rich_text", elements: [{ type: "rich_text_preformatted", elements: [{ type: "text", text: code }] }] };
}

function richParagraph(text: string): RichTextBlock {
  return { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text }] }] };
}

/**
 * The numbered resolution as rich-text ordered lists, numbering carried across blocks; no step is cut short.
 * A step's path shows as inline code after its text; its command as a code block right under it.
 */
export function renderSteps(input: readonly (string | ResolutionStep)[]): Block[] {
  const steps = input.map((s) => (typeof s === "string" ? { text: s } : s));
  const blocks: Block[] = [{ type: "section", text: { type: "mrkdwn", text: `*Resolution* (${steps.length} step${steps.length === 1 ? "" : "s"})` } }];
  let items: Item[] = [];
  let chars = 0;
  let offset = 0;
  const flush = (): void => {
    if (!items.length) return;
    blocks.push(richList(items, offset));
    offset += items.length;
    items = [];
    chars = 0;
  };
  steps.forEach((step, i) => {
    const text = plainText(step.text);
    const path = step.path !== undefined ? plainText(step.path) : undefined;
    const size = text.length + (path?.length ?? 0);
    if (size > STEP_MAX) {
      flush();
      const parts = splitText(text, STEP_MAX);
      blocks.push(richList([{ text: `${parts[0] ?? ""} (continued below)` }], offset));
      offset += 1;
      parts.slice(1).forEach((p, j) => blocks.push(richParagraph(`(step ${i + 1}, continued${j + 2 < parts.length || path ? "" : ", end"}) ${p}`)));
      if (path) blocks.push(richParagraph(`(step ${i + 1}, continued, end) ${path}`));
    } else {
      if (items.length >= ITEMS_PER_LIST || chars + size > STEP_MAX) flush();
      items.push(path !== undefined ? { text, path } : { text });
      chars += size;
    }
    if (step.command !== undefined) {
      flush();
      for (const part of splitText(plainText(step.command), STEP_MAX)) blocks.push(codeBlock(part));
    }
  });
  flush();
  return blocks;
}

/** What each kind of probe does, said under its buttons. */
const PROBE_SAYS: Readonly<Record<Protocol, string>> = {
  pop3: "The probe runs the article's telnet test (greeting, CAPA, USER and PASS or AUTH PLAIN, STAT, QUIT) against the host and diagnoses the replies. The password is never shown.",
  smtp: "The probe logs on to the submission port (EHLO, STARTTLS, AUTH) and asks to send (MAIL FROM, RCPT TO), then resets: no mail is ever sent. The password is never shown.",
  imap: "The probe logs on over IMAP (CAPABILITY, STARTTLS, LOGIN, STATUS INBOX) and diagnoses the reply. The password is never shown.",
};

/** "Run SMTP probe: hub02" buttons: one per named host whose protocol is the article's probe kind. */
export function probeBlocks(a: Article, hosts: readonly NamedHost[]): Block[] {
  const kind = a.probe.kind;
  if (kind === "none") return [];
  const label = kind.toUpperCase();
  const fit = hosts.filter((h) => (h.protocol ?? "pop3") === kind);
  if (!fit.length) {
    return [context(`No ${label} probe hosts are configured. Name your ${label} servers in the probe hosts file (PROBE_HOSTS_FILE, \`protocol: ${kind}\`) to get a *Run ${label} probe* button here.`)];
  }
  const buttons: Button[] = [];
  const skipped: string[] = [];
  fit.forEach((h, i) => {
    const value = encodeProbeValue({ host: h.name, article: a.id });
    if (value.length > LIMITS.buttonValue) skipped.push(h.name.slice(0, 40));
    else buttons.push(button(probeButtonText(kind, h.name), actionId(ACTION.probe, i), value));
  });
  const out: Block[] = [context(PROBE_SAYS[kind]), ...actions(buttons, BLOCK.probe)];
  if (skipped.length) out.push(context(`Host names too long for a button: ${skipped.map((s) => `${escapeMrkdwn(s)}…`).join(", ")}`));
  return out;
}

export function feedbackBlocks(articleId: string): Block[] {
  return [
    context("Did this help?", BLOCK.feedbackQuestion),
    ...actions([button("Yes", actionId(ACTION.feedbackYes, 0), articleId, "primary"), button("No", actionId(ACTION.feedbackNo, 0), articleId)], BLOCK.feedback),
  ];
}

/** "Details" opens the article's long form (the telnet check, the why). */
export function detailsBlocks(a: Article): Block[] {
  return actions([button("Details", actionId(ACTION.details, 0), a.id)], BLOCK.details);
}

/** `note` replaces the confidence line when the article was chosen rather than matched ("Chosen from the list"). */
export function headBlocks(m: Match, note?: string, ctx: AnswerContext = {}): Block[] {
  const a = m.article;
  const refs = [titledReferences(a), seeAlso(a, ctx.byId)].filter((x): x is string => x !== undefined);
  return [
    ...(ctx.asked ? [context(`${userMention(ctx.asked.userId)}: ${quoteUserText(`${ctx.asked.command} ${ctx.asked.text}`, 200)}`, BLOCK.asked)] : []),
    title(a.title, escapeMrkdwn(a.title)),
    ...causeFirstBlocks(a),
    context([identifiers(a), note !== undefined ? escapeMrkdwn(note) : evidenceLine(m)]),
    ...(refs.length ? [context(refs)] : []),
  ];
}

/** The check that tells one reply's causes apart comes first, then the cause, the others in order, the dates. */
function causeFirstBlocks(a: Article): Block[] {
  const c = causeFirst(a);
  const out: Block[] = [];
  if (c.checkFirst !== undefined) out.push(...sections(`*Check first*\n${escapeMrkdwn(c.checkFirst)}`));
  out.push(...sections(`*Cause*\n${escapeMrkdwn(a.cause)}`));
  if (c.causes.length) out.push(...sections(`*Possible causes, most likely first*\n${c.causes.map((x, i) => `${i + 1}. ${escapeMrkdwn(x)}`).join("\n")}`));
  if (c.dates.length) out.push(context(`*Dates that change the advice*\n${c.dates.map((x) => escapeMrkdwn(x)).join("\n")}`));
  return out;
}

export function fallback(a: Article): string {
  return escapeMrkdwn(`${a.id}: ${a.title}`);
}

export interface CommandAnswer {
  /** Posted in the channel. */
  parent: SlackMessage;
  /** Posted in the parent's thread, in order: the numbered steps (and any overflow of the parent). */
  thread: SlackMessage[];
}

/** /exchange: a parent with cause, identifiers, confidence and buttons; the steps as thread replies. */
export function renderCommandAnswer(m: Match, hosts: readonly NamedHost[], note?: string, ctx: AnswerContext = {}): CommandAnswer {
  const head = packMessages([...headBlocks(m, note, ctx), ...detailsBlocks(m.article), ...probeBlocks(m.article, hosts), ...feedbackBlocks(m.article.id)], fallback(m.article));
  const steps = packMessages(renderSteps(stepsOf(m.article)), escapeMrkdwn(`${m.article.id}: resolution`));
  const [parent, ...overflow] = head;
  return { parent: parent!, thread: [...overflow, ...steps] };
}

/** A pasted error: everything goes in the thread under the paste, cause first, buttons last. */
export function renderThreadAnswer(m: Match, hosts: readonly NamedHost[], note?: string, ctx: AnswerContext = {}): SlackMessage[] {
  return packMessages(
    [...headBlocks(m, note, ctx), ...renderSteps(stepsOf(m.article)), ...detailsBlocks(m.article), ...probeBlocks(m.article, hosts), ...feedbackBlocks(m.article.id)],
    fallback(m.article),
  );
}

/** The bot cannot post in the channel: the same answer, ephemeral, led by how to invite it. */
export function renderNotInChannel(m: Match, reason: string, note?: string, ctx: AnswerContext = {}): SlackMessage[] {
  const invite = context(
    reason === "not_in_channel"
      ? "I'm not a member of this channel, so only you can see this answer. Invite me with `/invite @exchange-bot` and run the command again to share it."
      : "I can't post in this conversation, so only you can see this answer. Add me to a channel (`/invite @exchange-bot`) and ask there to share it.",
  );
  return packMessages([invite, ...headBlocks(m, note, ctx.byId ? { byId: ctx.byId } : {}), ...renderSteps(stepsOf(m.article)), ...detailsBlocks(m.article), ...feedbackBlocks(m.article.id)], fallback(m.article));
}
