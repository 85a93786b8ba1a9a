// The conversation on the channel page: messages in ts order, "N replies" lines, the thread pane, and one
// change from the stand-in's feed at a time. Type-checked (checkJs, tsconfig.page.json).
import { escapeHtml, messageBody } from "./blocks.js";
import { ICONS } from "./icons.js";
import { $, state } from "./state.js";

/** Past this many characters or lines a message is shown collapsed, as Slack does. */
const LONG_CHARS = 4000;
const LONG_LINES = 40;

/** @typedef {import("../message-store.js").RecordedMessage} Message */
/** @typedef {import("../message-store.js").Change} Change */

export const pageContext = () => ({ users: state.info ? { [state.info.bot.id]: state.info.bot.name, [state.info.user.id]: state.info.user.name } : {} });

/**
 * Slack ts strings compare as numbers: seconds, then microseconds.
 * @param {string} a
 * @param {string} b
 */
export function tsCompare(a, b) {
  const [as, au = ""] = a.split(".");
  const [bs, bu = ""] = b.split(".");
  return Number(as) - Number(bs) || Number(au.padEnd(6, "0")) - Number(bu.padEnd(6, "0"));
}

/** @param {string} ts */
function timeOf(ts) {
  return new Date(Number(ts.split(".")[0]) * 1000).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

export const isReply = (/** @type {Message} */ m) => m.thread_ts !== undefined && m.thread_ts !== m.ts;
const repliesOf = (/** @type {string | undefined} */ ts) => [...state.messages.values()].filter((m) => m.thread_ts === ts && m.ts !== ts && !m.deleted).sort((a, b) => tsCompare(a.ts, b.ts));

/** @param {Message} m */
function avatar(m) {
  const bot = m.via !== "user";
  return `<div class="avatar ${bot ? "bot" : "person"}" aria-hidden="true">${bot ? ICONS.incoming_envelope ?? "" : escapeHtml((state.info?.user.name ?? "y").slice(0, 1).toUpperCase())}</div>`;
}

/**
 * @param {Message} m
 * @param {boolean} inThread
 */
function messageHtml(m, inThread) {
  const bot = m.via !== "user";
  const name = bot ? state.info?.bot.name ?? "exchange-bot" : state.info?.user.name ?? "you";
  const replies = !inThread && !isReply(m) ? repliesOf(m.ts) : [];
  const repliesLink = replies.length
    ? `<button type="button" class="replies" data-open-thread="${escapeHtml(m.ts)}">${replies.length} ${replies.length === 1 ? "reply" : "replies"}</button><span class="replies-time">Last reply ${timeOf(replies[replies.length - 1]?.ts ?? m.ts)}</span>`
    : "";
  const ephemeral = m.ephemeral_to ? `<div class="ephemeral-note">${ICONS.eye ?? ""} Only visible to you</div>` : "";
  const body = messageBody(m, pageContext());
  // Slack collapses a long message behind "Show more"; a 39,000-character paste drawn in full buries the answer.
  const long = body.replace(/<[^>]+>/g, "").length > LONG_CHARS || (body.match(/<br>|\n/g) ?? []).length > LONG_LINES;
  return `${avatar(m)}<div class="msg-main">
    ${ephemeral}
    <div class="msg-head"><span class="sender">${escapeHtml(name)}</span>${bot ? '<span class="app-badge">APP</span>' : ""}<span class="time" title="${escapeHtml(m.ts)}">${timeOf(m.ts)}</span>${m.edits ? '<span class="edited">(edited)</span>' : ""}</div>
    <div class="msg-body${long ? " long" : ""}">${body}</div>
    ${long ? '<button type="button" class="show-more" data-expand>Show more</button>' : ""}
    ${repliesLink ? `<div class="msg-replies">${repliesLink}</div>` : ""}
  </div>`;
}

/**
 * @param {Message} m
 * @param {boolean} inThread
 */
function element(m, inThread) {
  const div = document.createElement("div");
  div.className = `msg${m.via !== "user" ? " from-bot" : " from-person"}${m.ephemeral_to ? " ephemeral" : ""}`;
  div.dataset.ts = m.ts;
  div.innerHTML = messageHtml(m, inThread);
  return div;
}

/**
 * Puts the message's element in its place in a list (by ts), replacing the old one if any.
 * @param {HTMLElement} list
 * @param {Message} m
 * @param {boolean} inThread
 */
export function place(list, m, inThread) {
  const el = element(m, inThread);
  const old = list.querySelector(`.msg[data-ts="${CSS.escape(m.ts)}"]`);
  if (old) return old.replaceWith(el);
  const after = [...list.querySelectorAll(".msg")].find((e) => e instanceof HTMLElement && tsCompare(e.dataset.ts ?? "", m.ts) > 0);
  list.insertBefore(el, after ?? null);
}

/**
 * @param {HTMLElement} list
 * @param {string} ts
 */
function remove(list, ts) {
  list.querySelector(`.msg[data-ts="${CSS.escape(ts)}"]`)?.remove();
}

/** @param {HTMLElement} list */
function nearBottom(list) {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
}

/**
 * @param {HTMLElement} list
 * @param {boolean} force
 */
function scrollDown(list, force) {
  if (force) list.scrollTop = list.scrollHeight;
}

function renderThread() {
  const pane = $("thread");
  const list = $("thread-messages");
  const parent = state.thread && state.messages.get(state.thread);
  if (!parent || parent.deleted) {
    pane.hidden = true;
    state.thread = undefined;
    return;
  }
  pane.hidden = false;
  list.innerHTML = "";
  place(list, parent, true);
  const n = repliesOf(parent.ts).length;
  const sep = document.createElement("div");
  sep.className = "thread-sep";
  sep.textContent = `${n} ${n === 1 ? "reply" : "replies"}`;
  list.appendChild(sep);
  for (const r of repliesOf(parent.ts)) list.appendChild(element(r, true));
  // Opened at the start of the bot's newest reply: the cause and the probe headline are where a reader begins.
  const bots = list.querySelectorAll(".msg.from-bot");
  const newest = bots[bots.length - 1];
  if (newest instanceof HTMLElement && newest !== list.firstElementChild) list.scrollTop += newest.getBoundingClientRect().top - list.getBoundingClientRect().top;
  else list.scrollTop = list.scrollHeight;
}

/** @param {string} ts */
export function openThread(ts) {
  state.thread = ts;
  state.closed.delete(ts);
  renderThread();
  $("thread-input").focus();
}

/**
 * One change from the stand-in: posted, updated or deleted.
 * @param {Change} change
 */
export function apply(change) {
  if (change.seq <= state.seq) return;
  state.seq = change.seq;
  const m = change.message;
  const channelList = $("messages");
  const threadList = $("thread-messages");
  const stick = nearBottom(channelList);
  // Your own message always comes into view; a message that grows when replaced (a probe result) stays in view.
  const mine = m.via === "user" && change.type === "posted";
  const follow = (/** @type {boolean} */ near) => mine || (near && change.type !== "deleted");
  state.messages.set(m.ts, m);
  if (!isReply(m)) {
    if (m.deleted) remove(channelList, m.ts);
    else place(channelList, m, false);
    scrollDown(channelList, follow(stick));
    if (state.thread === m.ts) renderThread();
    return;
  }
  // A reply: its parent's "N replies" line changes, and the thread pane shows it.
  const threadTs = m.thread_ts ?? m.ts;
  const parent = state.messages.get(threadTs);
  if (parent && !parent.deleted) place(channelList, parent, false);
  if (state.thread === threadTs) {
    const stickThread = nearBottom(threadList);
    if (m.deleted) remove(threadList, m.ts);
    else place(threadList, m, true);
    const sep = threadList.querySelector(".thread-sep");
    const n = repliesOf(threadTs).length;
    if (sep) sep.textContent = `${n} ${n === 1 ? "reply" : "replies"}`;
    scrollDown(threadList, follow(stickThread));
  } else if (change.type === "posted" && !m.deleted && state.follow === threadTs) {
    // The bot answers a click on a message in the channel (a probe) in its thread: open that thread.
    state.follow = undefined;
    openThread(threadTs);
  } else if (change.type === "posted" && !m.deleted && !state.closed.has(threadTs) && (!state.thread || repliesOf(threadTs).length === 1)) {
    // A new answer in a thread: open it, as someone watching the channel would click "1 reply".
    openThread(threadTs);
  }
}
