// A modal the bot opened (views.open: the "Details" view), drawn over the channel as Slack draws one.
// Type-checked (checkJs, tsconfig.page.json).
import { escapeHtml, messageBody } from "./blocks.js";

/** @typedef {import("../message-store.js").OpenedView} OpenedView */

function close() {
  document.getElementById("modal")?.remove();
}

/**
 * @param {OpenedView} opened
 * @param {Parameters<typeof messageBody>[1]} ctx
 */
export function showModal(opened, ctx) {
  close();
  const view = /** @type {{ title?: { text?: string }; close?: { text?: string }; blocks?: unknown[] }} */ (opened.view);
  const title = typeof view.title?.text === "string" ? view.title.text : "";
  const closeLabel = typeof view.close?.text === "string" ? view.close.text : "Close";
  const backdrop = document.createElement("div");
  backdrop.id = "modal";
  backdrop.className = "modal-backdrop";
  backdrop.innerHTML = `<div class="modal" role="dialog" aria-modal="true" aria-label="${escapeHtml(title)}">
    <header class="modal-header"><b>${escapeHtml(title)}</b><button type="button" class="close" data-close-modal aria-label="Close">×</button></header>
    <div class="modal-body msg-body">${messageBody({ blocks: Array.isArray(view.blocks) ? view.blocks : [], text: "" }, ctx)}</div>
    <footer class="modal-footer"><button type="button" class="btn" data-close-modal>${escapeHtml(closeLabel)}</button></footer>
  </div>`;
  backdrop.addEventListener("click", (e) => {
    const t = e.target instanceof Element ? e.target : null;
    if (t === backdrop || t?.closest("[data-close-modal]")) close();
  });
  document.body.appendChild(backdrop);
  /** @type {HTMLElement | null} */ (backdrop.querySelector("button.btn"))?.focus();
}

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") close();
});
