// The local channel page: shows the conversation the Web API stand-in recorded, live, and turns what a
// person types or clicks into requests to this page's server, which signs them and hands them to the bot.
import { escapeHtml, messageBody } from "./blocks.js";

// Type-checked (checkJs, tsconfig.page.json) against the server's own types for what it sends.
/** @typedef {import("../message-store.js").RecordedMessage} Message */
/** @typedef {import("../message-store.js").Change} Change */
/** @typedef {import("../page-routes.js").PageInfo} PageInfo */

/** @type {{ info: PageInfo | undefined; messages: Map<string, Message>; seq: number; thread: string | undefined; closed: Set<string> }} */
const state = {
  info: undefined,
  /** ts -> the message as the stand-in recorded it. */
  messages: new Map(),
  seq: 0,
  /** ts of the thread open in the side pane. */
  thread: undefined,
  /** Threads the person has closed: a new reply there does not force them open again. */
  closed: new Set(),
};

/** The page's own elements exist (index.html has them): a missing one is a bug worth an exception. */
const $ = (/** @type {string} */ id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
};
/** An input or textarea of the page, by id. */
const field = (/** @type {string} */ id) => /** @type {HTMLTextAreaElement} */ ($(id));
const ctx = () => ({ users: state.info ? { [state.info.bot.id]: state.info.bot.name, [state.info.user.id]: state.info.user.name } : {} });

/** Slack ts strings compare as numbers: seconds, then microseconds. */
/**
 * @param {string} a
 * @param {string} b
 */
function tsCompare(a, b) {
  const [as, au = ""] = a.split(".");
  const [bs, bu = ""] = b.split(".");
  return Number(as) - Number(bs) || Number(au.padEnd(6, "0")) - Number(bu.padEnd(6, "0"));
}

/** @param {string} ts */
function timeOf(ts) {
  return new Date(Number(ts.split(".")[0]) * 1000).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

const isReply = (/** @type {Message} */ m) => m.thread_ts !== undefined && m.thread_ts !== m.ts;
const repliesOf = (/** @type {string | undefined} */ ts) => [...state.messages.values()].filter((m) => m.thread_ts === ts && m.ts !== ts && !m.deleted).sort((a, b) => tsCompare(a.ts, b.ts));

/** @param {Message} m */
function avatar(m) {
  const bot = m.via !== "user";
  return `<div class="avatar ${bot ? "bot" : "person"}" aria-hidden="true">${bot ? "\uD83D\uDCE8" : escapeHtml((state.info?.user.name ?? "y").slice(0, 1).toUpperCase())}</div>`;
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
  const ephemeral = m.ephemeral_to ? `<div class="ephemeral-note"><span aria-hidden="true">\uD83D\uDC41</span> Only visible to you</div>` : "";
  return `${avatar(m)}<div class="msg-main">
    ${ephemeral}
    <div class="msg-head"><span class="sender">${escapeHtml(name)}</span>${bot ? '<span class="app-badge">APP</span>' : ""}<span class="time" title="${escapeHtml(m.ts)}">${timeOf(m.ts)}</span>${m.edits ? '<span class="edited">(edited)</span>' : ""}</div>
    <div class="msg-body">${messageBody(m, ctx())}</div>
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

/** Puts the message's element in its place in a list (by ts), replacing the old one if any. */
/**
 * @param {HTMLElement} list
 * @param {Message} m
 * @param {boolean} inThread
 */
function place(list, m, inThread) {
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
  list.scrollTop = list.scrollHeight;
}

/** @param {string} ts */
function openThread(ts) {
  state.thread = ts;
  state.closed.delete(ts);
  renderThread();
  $("thread-input").focus();
}

/** One change from the stand-in: posted, updated or deleted. */
/** @param {Change} change */
function apply(change) {
  if (change.seq <= state.seq) return;
  state.seq = change.seq;
  const m = change.message;
  const channelList = $("messages");
  const threadList = $("thread-messages");
  const stick = nearBottom(channelList);
  state.messages.set(m.ts, m);
  if (!isReply(m)) {
    if (m.deleted) remove(channelList, m.ts);
    else place(channelList, m, false);
    scrollDown(channelList, stick && change.type === "posted");
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
    scrollDown(threadList, stickThread && change.type === "posted");
  } else if (change.type === "posted" && !m.deleted && !state.closed.has(threadTs) && (!state.thread || repliesOf(threadTs).length === 1)) {
    // A new answer in a thread: open it, as someone watching the channel would click "1 reply".
    openThread(threadTs);
  }
}

/**
 * @param {string} s
 * @param {string} label
 */
function setConnection(s, label) {
  const el = $("connection");
  el.dataset.state = s;
  el.textContent = label;
}

function connect() {
  const es = new EventSource(`/local/stream?since=${state.seq}`);
  let dropped = false;
  es.onopen = async () => {
    setConnection("live", "live");
    if (!dropped) return;
    // Back after a drop: if the bot was restarted (after editing an article, say), start over from its messages.
    try {
      const info = await (await fetch("/local/info")).json();
      if (info.runId !== state.info?.runId) location.reload();
    } catch {
      // the next reconnect tries again
    }
  };
  es.onerror = () => {
    dropped = true;
    setConnection("reconnecting", "reconnecting…");
  };
  es.onmessage = (e) => {
    try {
      apply(JSON.parse(e.data));
    } catch (err) {
      console.error("bad change", err);
    }
  };
}

/**
 * @param {string} path
 * @param {Record<string, unknown>} body
 * @returns {Promise<{ ok: boolean; error?: string }>}
 */
async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  let j;
  try {
    j = await r.json();
  } catch {
    j = { ok: false, error: `HTTP ${r.status}` };
  }
  if (!r.ok || !j.ok) throw new Error(j.error || `HTTP ${r.status}`);
  return j;
}

/**
 * @param {string} id
 * @param {string | undefined} message
 */
function showError(id, message) {
  const el = $(id);
  el.textContent = message ?? "";
  el.hidden = !message;
}

/**
 * @param {string} formId
 * @param {string} inputId
 * @param {string} errorId
 * @param {() => string | undefined} threadTs
 */
function wireComposer(formId, inputId, errorId, threadTs) {
  const form = /** @type {HTMLFormElement} */ ($(formId));
  const input = field(inputId);
  const resize = () => {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 240)}px`;
  };
  input.addEventListener("input", resize);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    showError(errorId, "");
    input.disabled = true;
    try {
      const inThread = threadTs();
      await post("/local/send", { text, ...(inThread ? { thread_ts: inThread } : {}) });
      input.value = "";
      resize();
    } catch (err) {
      showError(errorId, err instanceof Error ? err.message : String(err));
    } finally {
      input.disabled = false;
      input.focus();
    }
  });
}

/** @param {HTMLButtonElement} button */
async function click(button) {
  const msgEl = button.closest(".msg");
  if (!(msgEl instanceof HTMLElement)) return;
  if (button.dataset.url) window.open(button.dataset.url, "_blank", "noopener");
  const element = button.dataset.element === "accessory" ? "accessory" : Number(button.dataset.element);
  button.disabled = true;
  button.classList.add("pending");
  const inThread = Boolean(button.closest("#thread"));
  showError(inThread ? "thread-error" : "composer-error", "");
  try {
    await post("/local/click", { ts: msgEl.dataset.ts, block: Number(button.dataset.block), element, action_id: button.dataset.actionId });
  } catch (err) {
    showError(inThread ? "thread-error" : "composer-error", err instanceof Error ? err.message : String(err));
  } finally {
    // The bot usually replaces the message; if it did not, the button works again.
    if (button.isConnected) {
      button.disabled = false;
      button.classList.remove("pending");
    }
  }
}

function renderIntro() {
  const i = state.info;
  if (!i) return;
  const tries = [...new Set(i.articles.map((a) => a.try))].slice(0, 8);
  const hosts = i.hosts.length
    ? `Probe buttons run against ${i.hosts.map((h) => `<b>${escapeHtml(h)}</b>`).join(", ")}${i.labHosts ? " (lab POP3 servers on this computer that act like Exchange 5.5 with its famous faults, and a healthy one)" : ""}.`
    : "No probe hosts are configured, so answers come without probe buttons.";
  $("intro").innerHTML = `
    <div class="intro-title"><span class="hash">#</span>${escapeHtml(i.channel.name)}</div>
    <p>This is a local stand-in for a Slack channel. <b>${escapeHtml(i.bot.name)}</b> runs on this computer exactly as it would in Slack and answers here.</p>
    <p>Try a command: ${tries.map((t) => `<button type="button" class="try" data-try="${escapeHtml(t)}">${escapeHtml(t)}</button>`).join(" ")}
       or paste an error from the Exchange event log.</p>
    <p>${hosts}</p>
    <details><summary>${i.articles.length} articles in the knowledge base</summary><ul>${i.articles
      .map((a) => `<li><button type="button" class="try" data-try="/exchange ${escapeHtml(a.id)}">${escapeHtml(a.id)}</button> ${escapeHtml(a.title)}</li>`)
      .join("")}</ul></details>`;
}

async function main() {
  const info = await (await fetch("/local/info")).json();
  state.info = info;
  document.title = `#${info.channel.name} · ${info.workspace} · exchange-bot`;
  $("workspace-name").textContent = info.workspace;
  $("side-channel").textContent = $("channel-name").textContent = $("thread-channel").textContent = info.channel.name;
  field("composer-input").placeholder = `Message #${info.channel.name}`;
  renderIntro();

  const snap = await (await fetch("/local/messages")).json();
  for (const m of /** @type {Message[]} */ (snap.messages)) state.messages.set(m.ts, m);
  const list = $("messages");
  for (const m of [...state.messages.values()].sort((a, b) => tsCompare(a.ts, b.ts))) if (!isReply(m)) place(list, m, false);
  state.seq = snap.seq;
  list.scrollTop = list.scrollHeight;
  connect();

  wireComposer("composer", "composer-input", "composer-error", () => undefined);
  wireComposer("thread-composer", "thread-input", "thread-error", () => state.thread);
  $("thread-close").addEventListener("click", () => {
    if (state.thread) state.closed.add(state.thread);
    state.thread = undefined;
    $("thread").hidden = true;
  });
  document.addEventListener("click", (e) => {
    const t = e.target instanceof Element ? e.target : null;
    const btn = t?.closest("button.btn");
    if (btn instanceof HTMLButtonElement) return void click(btn);
    const open = t?.closest("[data-open-thread]");
    if (open instanceof HTMLElement && open.dataset.openThread) return openThread(open.dataset.openThread);
    const tryBtn = t?.closest("[data-try]");
    if (tryBtn instanceof HTMLElement) {
      const input = field("composer-input");
      input.value = tryBtn.dataset.try ?? "";
      input.focus();
    }
  });
  $("composer-input").focus();
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  setConnection("failed", "failed to load");
  showError("composer-error", `The page could not load: ${err instanceof Error ? err.message : String(err)}`);
});
