// The local channel page: shows the conversation the Web API stand-in recorded, live, and turns what a
// person types or clicks into requests to this page's server, which signs them and hands them to the bot.
// Type-checked (checkJs, tsconfig.page.json) against the server's own types for what it sends.
import { escapeHtml } from "./blocks.js";
import { apply, isReply, openThread, pageContext, place, tsCompare } from "./conversation.js";
import { showModal } from "./modal.js";
import { $, field, state } from "./state.js";

/** @typedef {import("../message-store.js").RecordedMessage} Message */

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
  // A modal the bot opened (Details, or "What was wrong?" after a "No", whose Send goes back through /local/submit).
  es.addEventListener("view", (e) => {
    try {
      showModal(JSON.parse(/** @type {MessageEvent} */ (e).data), pageContext(), submitView);
    } catch (err) {
      console.error("bad view", err);
    }
  });
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
 * @returns {Promise<{ ok: boolean; error?: string; [k: string]: unknown }>}
 */
async function post(path, body) {
  let r;
  try {
    r = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    // The browser's own words ("Failed to fetch") say nothing about what happened.
    throw new Error("The local server is not running (it was stopped). Start it again with npm start; this page reconnects by itself.");
  }
  let j;
  try {
    j = await r.json();
  } catch {
    j = { ok: false, error: `HTTP ${r.status}` };
  }
  if (!r.ok || !j.ok) throw new Error(j.error || `HTTP ${r.status}`);
  return j;
}

/** @type {import("./modal.js").Submit} */
async function submitView(view_id, values) {
  const r = await post("/local/submit", { view_id, values });
  return { closed: r.closed === true, errors: r.errors && typeof r.errors === "object" ? /** @type {Record<string, string>} */ (r.errors) : {} };
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
  // A click on a message in the channel: the bot may answer in its thread, which then opens.
  if (!inThread && !msgEl.closest("#modal")) state.follow = msgEl.dataset.ts;
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
  // Drawn again after a reload of the knowledge folder: an open article list stays open.
  const open = Boolean($("intro").querySelector("details")?.open);
  const tries = [...new Set(i.articles.map((a) => a.try))].slice(0, 8);
  // Only hosts some article offers a button for; each with the articles whose answers carry it.
  const usable = i.probeHosts.filter((h) => h.articles.length > 0);
  /** @param {string[]} ids */
  const under = (ids) => `${ids.slice(0, 3).map(escapeHtml).join(", ")}${ids.length > 3 ? ` +${ids.length - 3}` : ""}`;
  const hosts = usable.length
    ? `Probe buttons${i.labHosts ? ", against lab servers on this computer," : ""} come with these answers: ${usable
        .map((h) => `<b>${escapeHtml(h.name)}</b> (${escapeHtml(h.protocol.toUpperCase())}: ${under(h.articles)})`)
        .join("; ")}.`
    : i.hosts.length
      ? "No article in the knowledge base probes the protocols of the configured hosts, so answers come without probe buttons."
      : "No probe hosts are configured, so answers come without probe buttons.";
  $("intro").innerHTML = `
    <div class="intro-title"><span class="hash">#</span>${escapeHtml(i.channel.name)}</div>
    <p>This is a local stand-in for a Slack channel. <b>${escapeHtml(i.bot.name)}</b> runs on this computer exactly as it would in Slack and answers here.</p>
    <p>Try a command: ${tries.map((t) => `<button type="button" class="try" data-try="${escapeHtml(t)}">${escapeHtml(t)}</button>`).join(" ")}
       or paste an error from the Exchange event log.</p>
    <p>${hosts}</p>
    <details${open ? " open" : ""}><summary>${i.articles.length} articles in the knowledge base</summary><ul>${i.articles
      .map((a) => `<li><button type="button" class="try" data-try="/exchange ${escapeHtml(a.id)}">${escapeHtml(a.id)}</button> ${escapeHtml(a.title)}</li>`)
      .join("")}</ul></details>`;
}

/** The knowledge folder was reloaded: the intro lists the articles that answer now. */
async function refreshArticles() {
  try {
    const info = await (await fetch("/local/info", { cache: "no-store" })).json();
    if (!state.info || info.runId !== state.info.runId) return;
    state.info = { ...state.info, articles: info.articles };
    renderIntro();
  } catch {
    // The bot restarting: the reconnect reloads the page.
  }
}

async function main() {
  const info = await (await fetch("/local/info")).json();
  state.info = info;
  document.title = `#${info.channel.name} · ${info.workspace} · exchange-bot`;
  $("workspace-name").textContent = info.workspace;
  $("side-channel").textContent = $("channel-name").textContent = $("thread-channel").textContent = info.channel.name;
  field("composer-input").placeholder = `Message #${info.channel.name}`;
  renderIntro();
  document.addEventListener("knowledge-reloaded", () => void refreshArticles());

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
    const more = t?.closest("[data-expand]");
    if (more instanceof HTMLButtonElement) {
      const body = more.previousElementSibling;
      const expanded = body?.classList.toggle("expanded") ?? false;
      more.textContent = expanded ? "Show less" : "Show more";
      return;
    }
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
