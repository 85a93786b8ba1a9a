// Small Block Kit builders and the two splitters that keep every message inside Slack's limits
// without dropping a character.
import type { ActionsBlock, Button, ContextBlock, SectionBlock } from "@slack/types";
import { LIMITS, MESSAGE_CHAR_BUDGET, type Block } from "./limits.js";
import { plainText } from "./escape.js";

export type { Block } from "./limits.js";

/** One chat.postMessage / chat.update / response_url body: `text` is the notification fallback (mrkdwn, escaped). */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export function section(mrkdwn: string, extra: Partial<Omit<SectionBlock, "type" | "text">> = {}): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: mrkdwn }, ...extra };
}

export function context(mrkdwn: string | string[], blockId?: string): ContextBlock {
  const parts = Array.isArray(mrkdwn) ? mrkdwn : [mrkdwn];
  return {
    type: "context",
    ...(blockId ? { block_id: blockId } : {}),
    elements: parts.slice(0, LIMITS.contextElements).map((text) => ({ type: "mrkdwn", text })),
  };
}

export function divider(): Block {
  return { type: "divider" };
}

/** Button label in plain text, cut with a visible ellipsis to Slack's 75 characters. */
export function buttonLabel(s: string): string {
  const clean = plainText(s);
  const chars = Array.from(clean);
  return chars.length <= LIMITS.buttonText ? clean : `${chars.slice(0, LIMITS.buttonText - 1).join("")}…`;
}

export function button(text: string, actionId: string, value: string, style?: "primary" | "danger"): Button {
  return { type: "button", text: { type: "plain_text", text: buttonLabel(text), emoji: true }, action_id: actionId, value, ...(style ? { style } : {}) };
}

/** Buttons in as many actions blocks as Slack's 25-per-block limit needs; block ids get a running suffix. */
export function actions(buttons: Button[], blockId: string): ActionsBlock[] {
  const out: ActionsBlock[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    out.push({ type: "actions", block_id: i === 0 ? blockId : `${blockId}.${i / LIMITS.actionsElements}`, elements: buttons.slice(i, i + LIMITS.actionsElements) });
  }
  return out;
}

/** A header block when the title fits Slack's 150 characters, a bold section otherwise. */
export function title(text: string, mrkdwnFallback: string): Block {
  const clean = plainText(text);
  return Array.from(clean).length <= LIMITS.headerText ? { type: "header", text: { type: "plain_text", text: clean, emoji: true } } : section(`*${mrkdwnFallback}*`);
}

/**
 * Splits text into pieces of at most `max` UTF-16 units whose concatenation is exactly the input:
 * at a line break if one is near the end, else at a space, else anywhere that is not inside an
 * HTML entity (&amp;) or a surrogate pair.
 */
export function splitText(text: string, max: number = LIMITS.sectionText): string[] {
  if (max < 16) throw new RangeError("splitText: max too small");
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max - 1) + 1;
    if (cut < max / 2) cut = rest.lastIndexOf(" ", max - 1) + 1;
    if (cut < max / 2) {
      cut = max;
      const amp = rest.lastIndexOf("&", cut - 1);
      if (amp >= 0 && cut - amp < 6 && /^&(amp|lt|gt);/.test(rest.slice(amp, amp + 5))) cut = amp;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length || out.length === 0) out.push(rest);
  return out;
}

/** Sections for a long mrkdwn text, each within the 3,000 character limit. */
export function sections(mrkdwn: string): Block[] {
  return splitText(mrkdwn, LIMITS.sectionText).map((t) => section(t));
}

/** Preformatted text (a transcript) in code-fenced sections, each fence closed inside its own section. */
export function codeSections(text: string): Block[] {
  const fence = "```";
  // A ``` inside (a server can send one) would close the block and let the rest be read as mrkdwn.
  const inner = text.replace(/``+/g, (run) => run.split("").join("\u200B"));
  return splitText(inner, LIMITS.sectionText - 2 * fence.length - 2).map((t) => section(`${fence}\n${t}\n${fence}`));
}

/** Characters a reader sees in a block: the budget is about readable messages, not JSON bytes. */
function size(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + size(x), 0);
  if (!node || typeof node !== "object") return 0;
  let n = 0;
  for (const [k, v] of Object.entries(node)) n += k === "text" && typeof v === "string" ? v.length : size(v);
  return n;
}

/**
 * Packs blocks, in order, into as few messages as Slack's 50-block limit and our per-message text budget
 * allow. Later messages start with a "continued" line so a reader knows the answer goes on.
 */
export function packMessages(blocks: Block[], fallback: string): SlackMessage[] {
  const groups: Block[][] = [];
  let cur: Block[] = [];
  let chars = 0;
  // One block is kept free in every message for the "continued" line.
  const maxBlocks = LIMITS.blocksPerMessage - 1;
  for (const b of blocks) {
    const s = size(b);
    if (cur.length && (cur.length >= maxBlocks || chars + s > MESSAGE_CHAR_BUDGET)) {
      groups.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(b);
    chars += s;
  }
  if (cur.length) groups.push(cur);
  const n = groups.length;
  return groups.map((g, i) => ({
    text: n > 1 ? `${fallback} (part ${i + 1} of ${n})` : fallback,
    blocks: i === 0 ? g : [context(`_continued, part ${i + 1} of ${n}_`), ...g],
  }));
}
