// The answer to a recognised error: cause, identifiers, confidence, numbered steps, probe and feedback buttons.
import type { Article } from "../knowledge/schema.js";
import type { Match } from "../match/types.js";
import type { NamedHost, Protocol } from "../probe/types.js";
import { ACTION, BLOCK, actionId, encodeProbeValue } from "./actions.js";
import { actions, button, context, packMessages, sections, splitText, title, type Block, type SlackMessage } from "./blocks.js";
import { escapeMrkdwn, escapeUntrusted, plainText } from "./escape.js";
import { LIMITS } from "./limits.js";

/** Longest text of one list item; longer steps go on in the blocks that follow. */
const STEP_MAX = 2900;
/** Items in one rich_text list block (each block stays under the 3,000 character cap too). */
const ITEMS_PER_LIST = 30;

export function confidenceLabel(score: number): string {
  const pct = Math.round(Math.max(0, Math.min(1, score)) * 100);
  const word = score >= 0.8 ? "high" : score >= 0.5 ? "medium" : "low";
  return `${word} (${pct}%)`;
}

/** "Event 11202 (MSExchangePOP3, Failure Audit) · KB Q171435, Q189732": the events, then the article's own KB number and its references. */
export function identifiers(a: Article): string {
  const parts: string[] = [];
  for (const e of a.events) parts.push(`Event ${e.id} (${escapeMrkdwn(e.source)}, ${escapeMrkdwn(e.type)})`);
  const kbs = new Set([...(/^Q\d{6}$/.test(a.id) ? [a.id] : []), ...a.references]);
  if (kbs.size) parts.push(`KB ${[...kbs].join(", ")}`);
  else parts.push(`Article ${escapeMrkdwn(a.id)}`);
  return parts.join(" · ");
}

function evidenceLine(m: Match): string {
  const top = m.evidence.slice(0, 3).map((e) => {
    const d = Array.from(e.detail);
    return escapeUntrusted(d.length > 80 ? `${d.slice(0, 79).join("")}…` : e.detail);
  });
  return `Confidence: ${confidenceLabel(m.score)}${top.length ? ` · matched ${top.join("; ")}` : ""}`;
}

function richList(items: string[], offset: number): Block {
  return {
    type: "rich_text",
    elements: [
      {
        type: "rich_text_list",
        style: "ordered",
        indent: 0,
        offset,
        elements: items.map((t) => ({ type: "rich_text_section", elements: [{ type: "text", text: t }] })),
      },
    ],
  };
}

function richParagraph(text: string): Block {
  return { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text }] }] };
}

/** The numbered resolution as rich-text ordered lists, numbering carried across blocks; no step is cut short. */
export function renderSteps(steps: readonly string[]): Block[] {
  const blocks: Block[] = [{ type: "section", text: { type: "mrkdwn", text: `*Resolution* (${steps.length} step${steps.length === 1 ? "" : "s"})` } }];
  let items: string[] = [];
  let chars = 0;
  let offset = 0;
  const flush = (): void => {
    if (!items.length) return;
    blocks.push(richList(items, offset));
    offset += items.length;
    items = [];
    chars = 0;
  };
  steps.forEach((raw, i) => {
    const text = plainText(raw);
    if (text.length > STEP_MAX) {
      flush();
      const parts = splitText(text, STEP_MAX);
      blocks.push(richList([`${parts[0] ?? ""} (continued below)`], offset));
      offset += 1;
      parts.slice(1).forEach((p, j) => blocks.push(richParagraph(`(step ${i + 1}, continued${j + 2 < parts.length ? "" : ", end"}) ${p}`)));
      return;
    }
    if (items.length >= ITEMS_PER_LIST || chars + text.length > STEP_MAX) flush();
    items.push(text);
    chars += text.length;
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
  const buttons: Record<string, unknown>[] = [];
  const skipped: string[] = [];
  fit.forEach((h, i) => {
    const value = encodeProbeValue({ host: h.name });
    if (value.length > LIMITS.buttonValue) skipped.push(h.name.slice(0, 40));
    else buttons.push(button(`Run ${label} probe: ${h.name}`, actionId(ACTION.probe, i), value));
  });
  const out = actions(buttons, BLOCK.probe);
  out.unshift(context(PROBE_SAYS[kind]));
  if (skipped.length) out.push(context(`Host names too long for a button: ${skipped.map((s) => `${escapeMrkdwn(s)}…`).join(", ")}`));
  return out;
}

export function feedbackBlocks(articleId: string): Block[] {
  return [
    context("Did this help?", BLOCK.feedbackQuestion),
    ...actions([button("Yes", actionId(ACTION.feedbackYes, 0), articleId, "primary"), button("No", actionId(ACTION.feedbackNo, 0), articleId)], BLOCK.feedback),
  ];
}

/** `note` replaces the confidence line when the article was chosen rather than matched ("Chosen from the list"). */
function headBlocks(m: Match, note?: string): Block[] {
  const a = m.article;
  return [
    title(a.title, escapeMrkdwn(a.title)),
    ...sections(`*Cause*\n${escapeMrkdwn(a.cause)}`),
    context([identifiers(a), note !== undefined ? escapeMrkdwn(note) : evidenceLine(m)]),
  ];
}

function fallback(a: Article): string {
  return escapeMrkdwn(`${a.id}: ${a.title}`);
}

export interface CommandAnswer {
  /** Posted in the channel. */
  parent: SlackMessage;
  /** Posted in the parent's thread, in order: the numbered steps (and any overflow of the parent). */
  thread: SlackMessage[];
}

/** /exchange: a parent with cause, identifiers, confidence and buttons; the steps as thread replies. */
export function renderCommandAnswer(m: Match, hosts: readonly NamedHost[], note?: string): CommandAnswer {
  const head = packMessages([...headBlocks(m, note), ...probeBlocks(m.article, hosts), ...feedbackBlocks(m.article.id)], fallback(m.article));
  const steps = packMessages(renderSteps(m.article.resolution), escapeMrkdwn(`${m.article.id}: resolution`));
  const [parent, ...overflow] = head;
  return { parent: parent!, thread: [...overflow, ...steps] };
}

/** A pasted error: everything goes in the thread under the paste, cause first, buttons last. */
export function renderThreadAnswer(m: Match, hosts: readonly NamedHost[], note?: string): SlackMessage[] {
  return packMessages([...headBlocks(m, note), ...renderSteps(m.article.resolution), ...probeBlocks(m.article, hosts), ...feedbackBlocks(m.article.id)], fallback(m.article));
}

/** The bot cannot post in the channel: the same answer, ephemeral, led by how to invite it. */
export function renderNotInChannel(m: Match, reason: string, note?: string): SlackMessage[] {
  const invite = context(
    reason === "not_in_channel"
      ? "I'm not a member of this channel, so only you can see this answer. Invite me with `/invite @exchange-bot` and run the command again to share it."
      : "I can't post in this conversation, so only you can see this answer. Add me to a channel (`/invite @exchange-bot`) and ask there to share it.",
  );
  return packMessages([invite, ...headBlocks(m, note), ...renderSteps(m.article.resolution), ...feedbackBlocks(m.article.id)], fallback(m.article));
}
