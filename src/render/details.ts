// An article's long form (its Markdown body: the telnet check, the why) as Block Kit, for the "Details" view.
import type { ModalView } from "@slack/types";
import type { Article } from "../knowledge/schema.js";
import { codeSections, context, packMessages, sections, title, type Block, type SlackMessage } from "./blocks.js";
import { escapeMrkdwn } from "./escape.js";
import { identifiers } from "./answer.js";

/** Slack's limits for a modal: 100 blocks, a title of 24 characters. */
const MODAL_BLOCKS = 100;
const MODAL_TITLE = 24;

/** Inline Markdown to mrkdwn: `code` kept, **bold** and __bold__ to *bold*, *em* to _em_, [text](https://…) to a link. */
function inline(md: string): string {
  const held: string[] = [];
  // Private-use marks: escapeMrkdwn drops control characters, so NUL could not mark a held piece.
  const hold = (s: string): string => `\uE000${held.push(s) - 1}\uE001`;
  let s = md.replace(/`([^`\n]+)`/g, (_m, code: string) => hold(`\`${escapeMrkdwn(code)}\``));
  s = s.replace(/\[([^\]\n]+)\]\((https:\/\/[^\s<>|)]+)\)/g, (_m, label: string, url: string) => hold(`<${url}|${escapeMrkdwn(label)}>`));
  s = escapeMrkdwn(s)
    .replace(/\*\*([^*\n]+)\*\*|__([^_\n]+)__/g, (_m, a?: string, b?: string) => hold(`*${a ?? b ?? ""}*`))
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1_$2_");
  return s.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => held[Number(i)] ?? "");
}

/**
 * The body's Markdown as blocks: headings as bold lines, paragraphs re-flowed (Markdown wraps lines that
 * Slack would show broken), list items one a line, fenced code as code. The first `# ` heading is dropped:
 * the view carries the article's title already.
 */
export function markdownBlocks(body: string): Block[] {
  const out: Block[] = [];
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  let para: string[] = [];
  // What the last line was: a wrapped paragraph line or list item continues on the next line; a heading does not.
  let last: "text" | "item" | "heading" = "heading";
  let sawTitle = false;
  const flush = (): void => {
    if (para.length) out.push(...sections(para.join("\n")));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^```/.test(line)) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i] ?? ""); i++) code.push(lines[i] ?? "");
      out.push(...codeSections(escapeMrkdwn(code.join("\n"))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      if (heading[1] === "#" && !sawTitle) sawTitle = true;
      else para.push(`*${inline(heading[2] ?? "")}*`);
      last = "heading";
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    const item = /^\s*(\d+\.|[-*+])\s+(.*)$/.exec(line);
    const indented = /^\s/.test(line);
    if (item) {
      para.push(`${/\d/.test(item[1] ?? "") ? item[1] : "•"} ${inline(item[2] ?? "")}`);
      last = "item";
    } else if (para.length && ((last === "text" && !indented) || (last === "item" && indented))) {
      para[para.length - 1] += ` ${inline(line.trim())}`;
    } else {
      para.push(inline(line.trim()));
      last = "text";
    }
  }
  flush();
  return out;
}

/** Slack's views.open payload: a modal with the article's long form. */
export function renderDetailsModal(a: Article): ModalView & { blocks: Block[] } {
  const head: Block[] = [title(a.title, escapeMrkdwn(a.title)), context(identifiers(a))];
  let body = markdownBlocks(a.body);
  if (head.length + body.length > MODAL_BLOCKS) {
    body = body.slice(0, MODAL_BLOCKS - head.length - 1);
    body.push(context(`_The rest is in the article file, ${escapeMrkdwn(a.file)}._`));
  }
  const t = `Details: ${a.id}`;
  return {
    type: "modal",
    callback_id: "article_details",
    private_metadata: a.id,
    title: { type: "plain_text", text: t.length <= MODAL_TITLE ? t : `${t.slice(0, MODAL_TITLE - 1)}…` },
    close: { type: "plain_text", text: "Close" },
    blocks: [...head, ...body],
  };
}

/** The same long form as a message, for when a modal cannot be opened (an expired click). */
export function renderDetailsMessage(a: Article): SlackMessage[] {
  return packMessages(renderDetailsModal(a).blocks, escapeMrkdwn(`${a.id}: details`));
}
