// mrkdwn and text objects to HTML for the local channel page: Slack's markup, entities, mentions, links and
// emoji. Runs in the browser and, for tests, in Node, so it touches no DOM. Every piece of text is
// HTML-escaped on its way into markup. Type-checked (checkJs, tsconfig.page.json).

/** @typedef {import("./blocks.js").RenderContext} RenderContext */
/** @typedef {import("./blocks.js").RenderableMessage} RenderableMessage */

/**
 * The emoji the bot and its knowledge base use, plus common ones; others show as their :code:.
 * @type {Record<string, string>}
 */
const EMOJI = {
  white_check_mark: "\u2705",
  heavy_check_mark: "\u2714\uFE0F",
  x: "\u274C",
  no_entry: "\u26D4",
  no_entry_sign: "\uD83D\uDEAB",
  warning: "\u26A0\uFE0F",
  hourglass_flowing_sand: "\u23F3",
  hourglass: "\u231B",
  point_right: "\uD83D\uDC49",
  memo: "\uD83D\uDCDD",
  mag: "\uD83D\uDD0D",
  bulb: "\uD83D\uDCA1",
  information_source: "\u2139\uFE0F",
  rotating_light: "\uD83D\uDEA8",
  lock: "\uD83D\uDD12",
  key: "\uD83D\uDD11",
  email: "\uD83D\uDCE7",
  envelope: "\u2709\uFE0F",
  incoming_envelope: "\uD83D\uDCE8",
  gear: "\u2699\uFE0F",
  wrench: "\uD83D\uDD27",
  hammer_and_wrench: "\uD83D\uDEE0\uFE0F",
  eyes: "\uD83D\uDC40",
  question: "\u2753",
  exclamation: "\u2757",
  thumbsup: "\uD83D\uDC4D",
  "+1": "\uD83D\uDC4D",
  thumbsdown: "\uD83D\uDC4E",
  "-1": "\uD83D\uDC4E",
  wave: "\uD83D\uDC4B",
  tada: "\uD83C\uDF89",
  red_circle: "\uD83D\uDD34",
  large_green_circle: "\uD83D\uDFE2",
  large_yellow_circle: "\uD83D\uDFE1",
  stopwatch: "\u23F1\uFE0F",
  robot_face: "\uD83E\uDD16",
};

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

/** @param {string} name */
export function emoji(name) {
  const u = Object.prototype.hasOwnProperty.call(EMOJI, name) ? EMOJI[name] : undefined;
  return u ? `<span class="emoji" title=":${escapeHtml(name)}:">${u}</span>` : `:${escapeHtml(name)}:`;
}

/**
 * Emoji codes in already-escaped HTML text (only word characters, so no markup can be formed).
 * @param {string} html
 */
function emojify(html) {
  return html.replace(/:([a-z0-9_+-]{1,40}):/g, (/** @type {string} */ whole, /** @type {string} */ name) => (Object.prototype.hasOwnProperty.call(EMOJI, name) ? emoji(name) : whole));
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
