// The knowledge folder's state, above the messages: local mode reloads the folder when a file changes,
// and while a file does not lint this says what is wrong (the bot answers from the last version that did).
// Each reload also fires "knowledge-reloaded", on which app.js lists the articles again.
const POLL_MS = 1500;
let shown = -1;

function banner() {
  let el = document.getElementById("knowledge-banner");
  if (!el) {
    el = document.createElement("div");
    el.id = "knowledge-banner";
    el.className = "knowledge-banner";
    el.setAttribute("role", "status");
    el.hidden = true;
    document.getElementById("messages")?.before(el);
  }
  return el;
}

/** @param {{ version: number, problems: string[], articles: number }} k the knowledge folder's state (GET /local/knowledge) */
function render(k) {
  const el = banner();
  if (k.problems.length) {
    el.dataset.state = "problems";
    el.replaceChildren();
    const head = document.createElement("b");
    head.textContent = `The knowledge folder has ${k.problems.length === 1 ? "a problem" : `${k.problems.length} problems`}; the bot answers from the last version that loaded (${k.articles} articles).`;
    const pre = document.createElement("pre");
    pre.textContent = k.problems.join("\n");
    el.append(head, pre);
    el.hidden = false;
  } else if (shown >= 0) {
    el.dataset.state = "reloaded";
    el.textContent = `Knowledge reloaded: ${k.articles} articles.`;
    el.hidden = false;
  }
}

async function poll() {
  try {
    const r = await fetch("/local/knowledge", { cache: "no-store" });
    if (r.ok) {
      const k = await r.json();
      if (k.version !== shown) {
        render(k);
        // After a reload (not on the first look), the page's list of articles is read again (app.js).
        if (shown >= 0) document.dispatchEvent(new CustomEvent("knowledge-reloaded"));
        shown = k.version;
      }
    }
  } catch {
    // The bot restarting: app.js shows the connection state; try again next time.
  }
  setTimeout(poll, POLL_MS);
}

poll();
