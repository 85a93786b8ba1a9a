// mrkdwn and text objects to HTML for the local channel page: Slack's markup, entities, mentions, links and
// emoji. Runs in the browser and, for tests, in Node, so it touches no DOM. Every piece of text is
// HTML-escaped on its way into markup. Type-checked (checkJs, tsconfig.page.json).

/** @typedef {import("./blocks.js").RenderContext} RenderContext */
/** @typedef {import("./blocks.js").RenderableMessage} RenderableMessage */

import { ICONS } from "./icons.js";

/** @type {Record<string, string>} */
const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** @param {unknown} s */
function escapeKeepingHoles(s) {
  return String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * HTML-escapes text; NUL goes too (HTML drops it anyway, and mrkdwn uses it to mark set-aside pieces).
 * @param {unknown} s
 */
export function escapeHtml(s) {
  return escapeKeepingHoles(String(s).replace(/\u0000/g, ""));
}

/**
 * Slack's three entities in mrkdwn text; &amp; last so "&amp;lt;" stays "&lt;".
 * @param {string} s
 */
function decodeSlackEntities(s) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * An emoji as its inline SVG icon (icons.js), or as its :code: when there is none, as Slack shows an unknown one.
 * @param {string} name
 */
export function emoji(name) {
  const icon = Object.prototype.hasOwnProperty.call(ICONS, name) ? ICONS[name] : undefined;
  const code = `:${escapeHtml(name)}:`;
  return icon ? `<span class="emoji" role="img" aria-label="${code}" title="${code}">${icon}</span>` : code;
}

/**
 * Emoji codes in already-escaped HTML text (only word characters, so no markup can be formed).
 * @param {string} html
 */
function emojify(html) {
  return html.replace(/:([a-z0-9_+-]{1,40}):/g, (/** @type {string} */ whole, /** @type {string} */ name) => (Object.prototype.hasOwnProperty.call(ICONS, name) ? emoji(name) : whole));
}

/** @param {string} url */
export function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : undefined;
}

/**
 * @param {string} url
 * @param {string | undefined} label
 */
export function link(url, label) {
  const safe = safeUrl(url);
  const text = escapeHtml(label || url);
  return safe ? `<a href="${escapeHtml(safe)}" target="_blank" rel="noopener noreferrer">${text}</a>` : `<span class="link-blocked">${text}</span>`;
}

/**
 * @param {string} id
 * @param {RenderContext | undefined} ctx
 */
function userName(id, ctx) {
  return (ctx && ctx.users && ctx.users[id]) || id;
}

/**
 * @param {string} id
 * @param {string} label
 * @param {RenderContext | undefined} ctx
 */
export function mention(id, label, ctx) {
  return `<span class="mention">@${escapeHtml(label || userName(id, ctx))}</span>`;
}

/**
 * One `<...>` sequence of mrkdwn: a mention, a channel, a broadcast, a date or a link.
 * @param {string} inner
 * @param {RenderContext | undefined} ctx
 */
function special(inner, ctx) {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? "" : decodeSlackEntities(inner.slice(bar + 1));
  if (target.startsWith("@")) return mention(target.slice(1), label, ctx);
  if (target.startsWith("#")) return `<span class="mention">#${escapeHtml(label || target.slice(1))}</span>`;
  if (target.startsWith("!subteam^")) return `<span class="mention">@${escapeHtml(label || target.slice(9))}</span>`;
  if (target.startsWith("!date^")) {
    const parts = target.split("^");
    return escapeHtml(label || parts[3] || parts[1] || "");
  }
  if (target.startsWith("!")) return `<span class="mention broadcast">@${escapeHtml(target.slice(1))}</span>`;
  return link(decodeSlackEntities(target), label);
}

/**
 * *bold*, _italic_, ~strike~ on escaped HTML text; markers must hug words, as in Slack.
 * @param {string} html
 */
function inlineStyles(html) {
  return html
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1<b>$2</b>")
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, "$1<i>$2</i>")
    .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, "$1<s>$2</s>");
}

const HOLE = "\u0000";

/**
 * Inline mrkdwn (no code fences): specials and `code` are set aside, the rest escaped and styled.
 * @param {string} text
 * @param {RenderContext | undefined} ctx
 */
function inlineMrkdwn(text, ctx) {
  /** @type {string[]} */
  const held = [];
  const hold = (/** @type {string} */ html) => `${HOLE}${held.push(html) - 1}${HOLE}`;
  let s = text.replace(/<([^<>\n]*)>/g, (_m, /** @type {string} */ inner) => hold(special(inner, ctx)));
  s = s.replace(/`([^`\n]+)`/g, (_m, /** @type {string} */ code) => hold(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`));
  const lines = decodeSlackEntities(s).split("\n");
  /** @type {string[]} */
  const out = [];
  /** @type {string[]} */
  let quote = [];
  const flushQuote = () => {
    if (quote.length) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const q = /^>\s?(.*)$/.exec(line);
    const html = emojify(inlineStyles(escapeKeepingHoles(q ? q[1] ?? "" : line)));
    if (q) quote.push(html);
    else {
      flushQuote();
      out.push(html);
    }
  }
  flushQuote();
  const joined = out.join("<br>").replace(/<\/blockquote><br>/g, "</blockquote>");
  return joined.replace(new RegExp(`${HOLE}(\\d+)${HOLE}`, "g"), (_m, /** @type {string} */ i) => held[Number(i)] ?? "");
}

/**
 * A mrkdwn string (as Slack stores it: &, < and > escaped) to HTML.
 * @param {unknown} text
 * @param {RenderContext} [ctx]
 */
export function mrkdwn(text, ctx) {
  const src = String(text ?? "").replace(/\u0000/g, "");
  /** @type {string[]} */
  const parts = [];
  const fence = /```([\s\S]*?)```/g;
  let last = 0;
  let m;
  while ((m = fence.exec(src))) {
    if (m.index > last) parts.push(inlineMrkdwn(src.slice(last, m.index), ctx));
    const code = (m[1] ?? "").replace(/^\n/, "").replace(/\n$/, "");
    parts.push(`<pre class="code">${escapeHtml(decodeSlackEntities(code))}</pre>`);
    last = fence.lastIndex;
  }
  if (last < src.length) parts.push(inlineMrkdwn(src.slice(last), ctx));
  return parts.join("").replace(/(<br>)+(<pre)/g, "$2").replace(/(<\/pre>)(<br>)+/g, "$1");
}

/**
 * A plain_text object is shown literally; emoji codes become emoji when it says so.
 * @param {{ text?: unknown; emoji?: boolean } | undefined} t
 */
export function plainText(t) {
  const html = escapeHtml(t && typeof t.text === "string" ? t.text : "").replace(/\n/g, "<br>");
  return t && t.emoji !== false ? emojify(html) : html;
}

/**
 * @param {any} t a text object from the bot's JSON
 * @param {RenderContext} [ctx]
 */
export function textObject(t, ctx) {
  if (!t || typeof t !== "object") return "";
  return t.type === "mrkdwn" ? mrkdwn(t.text, ctx) : plainText(t);
}
