// Block Kit to HTML for the local channel page (mrkdwn itself: mrkdwn.js). Runs in the browser and, for
// tests, in Node, so it touches no DOM. Every piece of text is HTML-escaped on its way into markup: the page shows what
// the bot sent, and a knowledge file or a hostile POP3 greeting must not become markup in the page.
// Type-checked (checkJs, tsconfig.page.json); the bot's JSON arrives untyped, so those parameters are `any`
// and every field is tested before use.

/** @typedef {import("./blocks.js").RenderContext} RenderContext */
/** @typedef {import("./blocks.js").RenderableMessage} RenderableMessage */

import { emoji, escapeHtml, link, mention, mrkdwn, plainText, safeUrl, textObject } from "./mrkdwn.js";

export { emoji, escapeHtml, mrkdwn, plainText, textObject } from "./mrkdwn.js";

/**
 * @param {string} kind
 * @param {unknown} type
 * @param {string} [where]
 */
function placeholder(kind, type, where) {
  return `<div class="unsupported" data-unsupported="${escapeHtml(type)}">Local mode cannot draw this ${kind}: <code>${escapeHtml(type || "(no type)")}</code>${where ? ` ${escapeHtml(where)}` : ""}. Slack would show it.</div>`;
}

/** @param {unknown} type */
function inlinePlaceholder(type) {
  return `<span class="unsupported inline" data-unsupported="${escapeHtml(type)}">[${escapeHtml(type || "unknown")}]</span>`;
}

/**
 * Buttons carry where they sit (block index, element index) and their action id; the server finds the rest.
 * @param {any} el a button element from the bot's JSON
 * @param {number} blockIndex
 * @param {number | "accessory"} elementIndex
 */
function button(el, blockIndex, elementIndex) {
  const style = el.style === "primary" || el.style === "danger" ? ` ${el.style}` : "";
  const url = typeof el.url === "string" && safeUrl(el.url) ? ` data-url="${escapeHtml(el.url)}"` : "";
  return `<button type="button" class="btn${style}" data-block="${blockIndex}" data-element="${escapeHtml(String(elementIndex))}" data-action-id="${escapeHtml(el.action_id ?? "")}"${url}>${plainText(el.text)}</button>`;
}

/**
 * @param {any} el
 * @param {number} blockIndex
 * @param {number | "accessory"} elementIndex
 */
function element(el, blockIndex, elementIndex) {
  if (el && el.type === "button") return button(el, blockIndex, elementIndex);
  return inlinePlaceholder(el && el.type);
}

/**
 * @param {any} el a rich_text inline element from the bot's JSON
 * @param {RenderContext | undefined} ctx
 * @returns {string}
 */
function richInline(el, ctx) {
  if (!el || typeof el !== "object") return "";
  switch (el.type) {
    case "text": {
      let html = escapeHtml(el.text ?? "").replace(/\n/g, "<br>");
      const st = el.style || {};
      if (st.code) html = `<code>${html}</code>`;
      if (st.bold) html = `<b>${html}</b>`;
      if (st.italic) html = `<i>${html}</i>`;
      if (st.strike) html = `<s>${html}</s>`;
      return html;
    }
    case "link":
      return link(String(el.url ?? ""), el.text);
    case "emoji":
      return emoji(String(el.name ?? ""));
    case "user":
      return mention(String(el.user_id ?? ""), "", ctx);
    case "usergroup":
      return `<span class="mention">@${escapeHtml(el.usergroup_id ?? "")}</span>`;
    case "channel":
      return `<span class="mention">#${escapeHtml(el.channel_id ?? "")}</span>`;
    case "broadcast":
      return `<span class="mention broadcast">@${escapeHtml(el.range ?? "")}</span>`;
    case "date":
      return escapeHtml(el.fallback ?? String(el.timestamp ?? ""));
    default:
      return inlinePlaceholder(el.type);
  }
}

/**
 * @param {unknown} elements
 * @param {RenderContext | undefined} ctx
 */
function richInlines(elements, ctx) {
  return Array.isArray(elements) ? elements.map((/** @type {any} */ e) => richInline(e, ctx)).join("") : "";
}

/**
 * @param {any} el a rich_text element from the bot's JSON
 * @param {RenderContext | undefined} ctx
 * @returns {string}
 */
function richElement(el, ctx) {
  if (!el || typeof el !== "object") return "";
  switch (el.type) {
    case "rich_text_section":
      return `<div class="rt-section">${richInlines(el.elements, ctx)}</div>`;
    case "rich_text_preformatted":
      return `<pre class="code">${richInlines(el.elements, ctx)}</pre>`;
    case "rich_text_quote":
      return `<blockquote>${richInlines(el.elements, ctx)}</blockquote>`;
    case "rich_text_list": {
      const ordered = el.style === "ordered";
      const tag = ordered ? "ol" : "ul";
      const start = ordered && Number.isInteger(el.offset) && el.offset > 0 ? ` start="${el.offset + 1}"` : "";
      const indent = Math.max(0, Math.min(8, Number(el.indent) || 0));
      const items = (Array.isArray(el.elements) ? el.elements : []).map((/** @type {any} */ item) => `<li>${item && item.type === "rich_text_section" ? richInlines(item.elements, ctx) : richElement(item, ctx)}</li>`);
      return `<${tag} class="rt-list indent-${indent}"${start}>${items.join("")}</${tag}>`;
    }
    default:
      return placeholder("rich text element", el.type);
  }
}

/**
 * @param {any} b a block from the bot's JSON
 * @param {number} i
 * @param {RenderContext | undefined} ctx
 */
function block(b, i, ctx) {
  if (!b || typeof b !== "object") return placeholder("block", "(not an object)");
  switch (b.type) {
    case "header":
      return `<div class="b-header">${plainText(b.text)}</div>`;
    case "divider":
      return `<hr class="b-divider">`;
    case "section": {
      const text = b.text ? `<div class="b-text">${textObject(b.text, ctx)}</div>` : "";
      const fields = Array.isArray(b.fields) && b.fields.length ? `<div class="b-fields">${b.fields.map((/** @type {any} */ f) => `<div>${textObject(f, ctx)}</div>`).join("")}</div>` : "";
      const accessory = b.accessory ? `<div class="b-accessory">${element(b.accessory, i, "accessory")}</div>` : "";
      return `<div class="b-section"><div class="b-section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case "context": {
      const els = (Array.isArray(b.elements) ? b.elements : []).map((/** @type {any} */ e) =>
        e && (e.type === "mrkdwn" || e.type === "plain_text") ? `<span>${textObject(e, ctx)}</span>` : inlinePlaceholder(e && e.type),
      );
      return `<div class="b-context">${els.join("")}</div>`;
    }
    case "actions":
      return `<div class="b-actions">${(Array.isArray(b.elements) ? b.elements : []).map((/** @type {any} */ e, /** @type {number} */ j) => element(e, i, j)).join("")}</div>`;
    case "rich_text":
      return `<div class="b-rich">${(Array.isArray(b.elements) ? b.elements : []).map((/** @type {any} */ e) => richElement(e, ctx)).join("")}</div>`;
    default:
      return placeholder("block", b.type);
  }
}

/**
 * The body of one message: its blocks when it has any (as Slack shows them), else its text.
 * @param {RenderableMessage} msg
 * @param {RenderContext} [ctx]
 */
export function messageBody(msg, ctx) {
  const blocks = Array.isArray(msg.blocks) ? msg.blocks : [];
  if (blocks.length) return blocks.map((b, /** @type {number} */ i) => block(b, i, ctx)).join("");
  return `<div class="b-text">${mrkdwn(msg.text ?? "", ctx)}</div>`;
}

/** Block types this page draws; anything else gets a visible placeholder. */
export const SUPPORTED_BLOCKS = ["header", "divider", "section", "context", "actions", "rich_text"];
