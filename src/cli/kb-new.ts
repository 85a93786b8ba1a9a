// `exchange-bot kb new ID [--from FILE] [--title TEXT]`: writes a new article that passes `kb lint` as it
// stands, with what a pasted event says already filled in, into KNOWLEDGE_DIR (or the shipped folder).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadPaths } from "../config.js";
import { parsePastedEvent, type PastedEvent } from "../knowledge/from-event.js";
import { lintKnowledge } from "../knowledge/load.js";
import { parseArticle } from "../knowledge/parse.js";
import { sharedFaultEvidence } from "../knowledge/same-fault.js";
import { ArticleIdSchema } from "../knowledge/schema.js";
import { articleTemplate, defaultTitle, slugOf } from "../knowledge/template.js";
import { readStdin, textFrom } from "./input.js";
import { usageError } from "./usage.js";

const MAX_PASTE_BYTES = 1024 * 1024;

async function readPaste(from: string): Promise<PastedEvent> {
  let buf: Buffer;
  if (from === "-") buf = await readStdin(MAX_PASTE_BYTES);
  else {
    let size: number;
    try {
      size = statSync(from).size;
    } catch (err) {
      throw usageError(`cannot read ${from} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`);
    }
    if (size > MAX_PASTE_BYTES) throw usageError(`${from} is over 1 MB: paste the one event, not the whole log`);
    buf = readFileSync(from);
  }
  const ev = parsePastedEvent(textFrom(buf));
  if (ev.id === 0) delete ev.id;
  return ev;
}

function parseArgs(args: string[]): { id: string; from?: string; title?: string } {
  let id: string | undefined;
  let from: string | undefined;
  let title: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--from" || a === "--title") {
      const v = args[++i];
      if (v === undefined) throw usageError(`${a} needs a value`);
      if (a === "--from") from = v;
      else title = v;
    } else if (a.startsWith("-") && a !== "-") throw usageError(`kb new: unknown option '${a}'`);
    else if (id === undefined) id = a;
    else throw usageError(`kb new: unexpected argument '${a}'`);
  }
  if (!id) throw usageError("kb new needs an id: exchange-bot kb new Q123456 [--from event.txt]");
  if (!ArticleIdSchema.safeParse(id).success) throw usageError(`'${id.slice(0, 40)}' is not an article id: use a KB number like Q171435 or a slug like E2007-1020`);
  return { id, ...(from !== undefined ? { from } : {}), ...(title !== undefined ? { title } : {}) };
}

export async function kbNewCommand(args: string[]): Promise<number> {
  const opts = parseArgs(args);
  const event = opts.from !== undefined ? await readPaste(opts.from) : undefined;
  const dir = loadPaths().knowledgeDir;
  mkdirSync(dir, { recursive: true });
  const existing = lintKnowledge(dir).articles;
  const taken = existing.find((a) => a.id === opts.id);
  if (taken) {
    process.stderr.write(`exchange-bot: ${opts.id} is already in ${taken.file}; nothing written\n`);
    return 1;
  }
  const input = { id: opts.id, ...(opts.title ? { title: opts.title } : {}), ...(event ? { event } : {}) };
  const file = join(dir, `${opts.id}-${slugOf(defaultTitle(input))}.md`);
  if (existsSync(file)) {
    process.stderr.write(`exchange-bot: ${file} already exists; nothing written\n`);
    return 1;
  }
  const text = articleTemplate(input);
  writeFileSync(file, text, { flag: "wx" });
  const rel = relative(process.cwd(), file);
  const shown = rel && !rel.startsWith("..") ? rel : file;
  process.stdout.write(`Wrote ${shown}\n`);
  if (event) {
    const found = [event.id !== undefined && `event ${event.id}`, event.source && `source ${event.source}`, event.type && `type ${event.type}`, event.message && "the message"].filter(Boolean);
    process.stdout.write(`From the paste: ${found.length ? found.join(", ") : "nothing recognisable (fill in the event by hand)"}.\n`);
  }
  // The same-fault rule, said now rather than at the next lint: one event or phrase, one set of steps.
  const mine = parseArticle(file, text).article;
  for (const other of mine ? existing : []) {
    const shared = sharedFaultEvidence(other, mine!);
    if (shared) process.stdout.write(`Note: ${other.id} (${other.file}) has ${shared} too, so both describe one fault and must give the same steps. Adding to ${other.id} may be what you want.\n`);
  }
  process.stdout.write(`Next: edit it, run 'exchange-bot kb lint', try 'exchange-bot lookup ${event?.id ?? opts.id}', then see it in local mode ('npm start').\n`);
  return 0;
}
