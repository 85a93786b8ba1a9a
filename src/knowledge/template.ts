// The text of a new article: every field present, commented, valid as written (`kb lint` passes), with
// what a pasted event tells us already filled in.
import type { PastedEvent } from "./from-event.js";

export interface TemplateInput {
  id: string;
  title?: string;
  event?: PastedEvent;
}

/** A YAML double-quoted scalar: JSON's escapes are all valid YAML ones. */
function q(s: string): string {
  return JSON.stringify(s);
}

/** The literal message cut to a phrase-sized piece at a sentence or word boundary. */
function phraseFrom(message: string): string {
  if (message.length <= 300) return message;
  const cut = message.slice(0, 300);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf(" "));
  return cut.slice(0, end > 40 ? end : 300).replace(/[.\s]+$/, "");
}

export function defaultTitle(input: TemplateInput): string {
  if (input.title?.trim()) return input.title.trim();
  const e = input.event;
  const words = e?.message ? e.message.split(" ").slice(0, 8).join(" ").replace(/[:.,;]+$/, "") : "";
  if (e?.id !== undefined) return `Event ${e.id}${e.source ? ` from ${e.source}` : ""}${words ? `: ${words}` : ""}`;
  return `${input.id}: say in a few words what goes wrong`;
}

/** "POP3 logon fails with event 11202" -> "pop3-logon-fails-with-event-11202". */
export function slugOf(title: string): string {
  const words = title.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean).slice(0, 7);
  let slug = "";
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w.slice(0, 48);
    if (next.length > 48) break;
    slug = next;
  }
  return slug || "article";
}

export function articleTemplate(input: TemplateInput): string {
  const e = input.event;
  const title = defaultTitle(input);
  const events =
    e?.id !== undefined
      ? [
          "events:",
          `  - id: ${e.id}`,
          `    source: ${q(e.source ?? "MSExchangeIS")}${e.source ? "" : "   # not in the paste: check it in Event Viewer"}`,
          `    type: ${q(e.type ?? "Error")}${e.type ? "" : "   # not in the paste: Error, Warning, Information, Failure Audit..."}`,
          ...(e.category ? [`    category: ${q(e.category)}`] : []),
        ]
      : ["events: []", "#  - id: 11202                  # the Event ID, exactly", "#    source: MSExchangePOP3     # Event Viewer's Source", "#    type: Failure Audit        # Error, Warning, Information, Failure Audit..."];
  const phrase = e?.message && e.message.length >= 8 ? phraseFrom(e.message) : "Replace this with the literal error text";
  return [
    "---",
    "# Every field is explained in knowledge/README.md. Check the file with: exchange-bot kb lint",
    `id: ${input.id}`,
    "# What goes wrong, in the words of the person who sees it. No XFOR:/XADM: prefix here: Microsoft's",
    "# own title, if there is one, goes in kbTitle, where /exchange still finds it.",
    `title: ${q(title)}`,
    "# kbTitle: \"XFOR: ...\"",
    "products:",
    "  - name: Microsoft Exchange Server",
    "    versions: [\"?\"]              # which versions: \"5.5\", \"2007\", \"2019\"...",
    "# Looked up exactly (never fuzzily) by id and source. Two articles sharing an event are the same fault.",
    ...events,
    "# The error text exactly as logs, Event Viewer or telnet show it; cut out names, addresses and numbers",
    "# that change from server to server. Two articles sharing a phrase are the same fault.",
    "phrases:",
    `  - ${q(phrase)}`,
    "keywords: []                   # short terms people type after /exchange",
    "codes: []                      # HRESULTs and Win32 codes behind the message: \"0x80070522\", \"1314\"",
    "symptoms:",
    "  - \"What the admin sees, one line each.\"",
    "cause: >-",
    "  Why it happens, in one to three sentences: the answer's first line in Slack.",
    "resolution:",
    "  - \"The first step, one action a step.\"",
    "  - \"The next step. The bot numbers them.\"",
    "references: []                 # other KB numbers this article cites: [Q165186]",
    "related: []                    # ids of related articles in this folder",
    "sources:                       # every public page this article was written from (kb lint requires it)",
    "  - url: https://learn.microsoft.com/",
    "    title: \"The title of the page you read\"",
    "# probe: none unless a POP3 logon shows the fault; see knowledge/README.md.",
    "---",
    `# ${title.replace(/\n/g, " ")}`,
    "",
    "The long form for people: what you see, why, how to confirm it, how to fix it. The bot answers",
    "from the front matter above; this part is for reading.",
    "",
  ].join("\n");
}
