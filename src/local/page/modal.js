// A modal the bot opened (views.open: the "Details" view, or "What was wrong?" after a "No"), drawn over the
// channel as Slack draws one. A modal with a submit button and text inputs is a form: "Send" posts what was
// typed to /local/submit, which hands the bot the view_submission Slack would send; the modal closes when the
// bot accepts it, or shows the bot's errors under the fields. Type-checked (checkJs, tsconfig.page.json).
import { escapeHtml, messageBody } from "./blocks.js";

/** @typedef {import("../message-store.js").OpenedView} OpenedView */
/** @typedef {Record<string, Record<string, string>>} FormValues block_id -> action_id -> text */
/** @typedef {(viewId: string, values: FormValues) => Promise<{ closed: boolean; errors?: Record<string, string> }>} Submit */

function close() {
  document.getElementById("modal")?.remove();
}

/** @param {unknown} o @returns {string} */
const plain = (o) => {
  const t = o && typeof o === "object" ? /** @type {{ text?: unknown }} */ (o).text : undefined;
  return typeof t === "string" ? t : "";
};

/**
 * An input block with a plain-text field; anything else the page does not draw in a modal gets blocks.js's placeholder.
 * @param {Record<string, unknown>} b
 */
function inputBlock(b) {
  const el = /** @type {{ type?: unknown; action_id?: unknown; multiline?: unknown; max_length?: unknown; placeholder?: unknown }} */ (b.element ?? {});
  if (el.type !== "plain_text_input" || typeof el.action_id !== "string" || typeof b.block_id !== "string") return undefined;
  const attrs = `class="modal-input" data-block="${escapeHtml(b.block_id)}" data-action="${escapeHtml(el.action_id)}" aria-label="${escapeHtml(plain(b.label))}" placeholder="${escapeHtml(plain(el.placeholder))}"${typeof el.max_length === "number" ? ` maxlength="${el.max_length}"` : ""}`;
  const field = el.multiline === true ? `<textarea rows="4" ${attrs}></textarea>` : `<input type="text" ${attrs}>`;
  return `<label class="modal-field"><span class="modal-label">${escapeHtml(plain(b.label))}${b.optional === true ? ' <span class="muted">(optional)</span>' : ""}</span>${field}<span class="modal-field-error" data-error-for="${escapeHtml(b.block_id)}" hidden></span></label>`;
}

/**
 * @param {OpenedView} opened
 * @param {Parameters<typeof messageBody>[1]} ctx
 * @param {Submit} [submit] sends a form modal's values; without it the modal only shows
 */
export function showModal(opened, ctx, submit) {
  close();
  const view = /** @type {{ title?: unknown; close?: unknown; submit?: unknown; blocks?: unknown[] }} */ (opened.view);
  const title = plain(view.title);
  const closeLabel = plain(view.close) || "Close";
  const submitLabel = submit ? plain(view.submit) : "";
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const body = blocks.map((b) => (b && typeof b === "object" && /** @type {{ type?: unknown }} */ (b).type === "input" && inputBlock(/** @type {Record<string, unknown>} */ (b))) || messageBody({ blocks: [b], text: "" }, ctx)).join("");
  const backdrop = document.createElement("div");
  backdrop.id = "modal";
  backdrop.className = "modal-backdrop";
  backdrop.innerHTML = `<div class="modal" role="dialog" aria-modal="true" aria-label="${escapeHtml(title)}">
    <header class="modal-header"><b>${escapeHtml(title)}</b><button type="button" class="close" data-close-modal aria-label="Close">×</button></header>
    <div class="modal-body msg-body">${body}</div>
    <div class="composer-error modal-error" role="alert" hidden></div>
    <footer class="modal-footer"><button type="button" class="btn" data-close-modal>${escapeHtml(closeLabel)}</button>${submitLabel ? `<button type="button" class="btn primary" data-submit-modal>${escapeHtml(submitLabel)}</button>` : ""}</footer>
  </div>`;
  backdrop.addEventListener("click", (e) => {
    const t = e.target instanceof Element ? e.target : null;
    if (t === backdrop || t?.closest("[data-close-modal]")) close();
    const send = t?.closest("[data-submit-modal]");
    if (send instanceof HTMLButtonElement && submit) void sendForm(backdrop, opened.id, send, submit);
  });
  document.body.appendChild(backdrop);
  /** @type {HTMLElement | null} */ (backdrop.querySelector(".modal-input") ?? backdrop.querySelector("button.btn"))?.focus();
}

/**
 * @param {HTMLElement} backdrop
 * @param {string} viewId
 * @param {HTMLButtonElement} button
 * @param {Submit} submit
 */
async function sendForm(backdrop, viewId, button, submit) {
  /** @type {FormValues} */
  const values = {};
  for (const f of backdrop.querySelectorAll(".modal-input")) {
    const el = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (f);
    const block = el.dataset.block ?? "";
    values[block] = { ...values[block], [el.dataset.action ?? ""]: el.value };
  }
  const error = /** @type {HTMLElement} */ (backdrop.querySelector(".modal-error"));
  for (const e of backdrop.querySelectorAll("[data-error-for]")) /** @type {HTMLElement} */ (e).hidden = true;
  error.hidden = true;
  button.disabled = true;
  try {
    const r = await submit(viewId, values);
    if (r.closed) return void (backdrop.isConnected && close());
    for (const [block, message] of Object.entries(r.errors ?? {})) {
      const e = /** @type {HTMLElement | null} */ (backdrop.querySelector(`[data-error-for="${CSS.escape(block)}"]`));
      if (e) {
        e.textContent = message;
        e.hidden = false;
      }
    }
  } catch (err) {
    error.textContent = err instanceof Error ? err.message : String(err);
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") close();
});
