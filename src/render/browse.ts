// `/exchange list [FAMILY]`: the knowledge base by product and family, so ~60 articles can be browsed in Slack.
import { familiesFor, PRODUCT_LABEL, type Family } from "../knowledge/browse.js";
import { context, section, type Block, type SlackMessage } from "./blocks.js";
import { escapeMrkdwn } from "./escape.js";

/** Families shown in full in one message; Slack allows 50 blocks, and a long list is read less. */
const FAMILIES_MAX = 12;
/** Articles listed per family before "… and N more". */
const ARTICLES_MAX = 15;
const TITLE_MAX = 90;

const label = (f: Family) => `${PRODUCT_LABEL[f.product] ?? f.product} · ${f.category}`;
const short = (t: string) => (t.length > TITLE_MAX ? `${t.slice(0, TITLE_MAX - 1)}…` : t);

/** One line per family with its count: the help text's table of contents. */
export function familyIndex(all: readonly Family[], cmd: string): string {
  return all.map((f) => `\`${cmd} list ${f.category}\` ${escapeMrkdwn(label(f))} (${f.articles.length})`).join("\n");
}

export function renderList(all: readonly Family[], word: string, cmd = "/exchange"): SlackMessage {
  const found = familiesFor(all, word);
  if (!found.length) {
    return {
      text: `No family named ${word.slice(0, 40)}`,
      blocks: [section(`No family matches *${escapeMrkdwn(word.slice(0, 40))}*. The families are:\n${familyIndex(all, cmd)}`)],
    };
  }
  const blocks: Block[] = [];
  for (const f of found.slice(0, FAMILIES_MAX)) {
    const lines = f.articles.slice(0, ARTICLES_MAX).map((a) => `• \`${cmd} ${a.id}\` ${escapeMrkdwn(short(a.title))}`);
    if (f.articles.length > ARTICLES_MAX) lines.push(`… and ${f.articles.length - ARTICLES_MAX} more`);
    blocks.push(section(`*${escapeMrkdwn(label(f))}* (${f.articles.length})\n${lines.join("\n")}`.slice(0, 2900)));
  }
  if (found.length > FAMILIES_MAX) blocks.push(context(`${found.length - FAMILIES_MAX} more families: \`${cmd} list FAMILY\` with one of ${found.slice(FAMILIES_MAX).map((f) => f.category).join(", ")}`));
  blocks.push(context(`Type \`${cmd} ID\` to open an article, or paste the error itself.`));
  const total = found.reduce((n, f) => n + f.articles.length, 0);
  return { text: `${total} Exchange articles${word.trim() ? ` for ${word.trim().slice(0, 40)}` : ""}`, blocks };
}
