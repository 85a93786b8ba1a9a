import { createInterface } from "node:readline";
import type { Matcher, Mode } from "../match/types.js";
import { suggestIdentifiers } from "../match/suggest.js";
import { formatResult, resultJson } from "../render/text.js";
import { readStdin, textFrom } from "./input.js";
import { knowledgeFromEnv } from "./knowledge.js";
import { usageError } from "./usage.js";

interface LookupArgs {
  mode: Mode;
  json: boolean;
  jsonl: boolean;
  words: string[];
}

function parseArgs(args: string[]): LookupArgs {
  const out: LookupArgs = { mode: "command", json: false, jsonl: false, words: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--json") out.json = true;
    else if (a === "--jsonl") out.jsonl = true;
    else if (a === "--mode" || a.startsWith("--mode=")) {
      const v = a.includes("=") ? a.slice(7) : args[++i];
      if (v !== "command" && v !== "channel") throw usageError("--mode takes 'command' or 'channel'");
      out.mode = v;
    } else if (a === "--") out.words.push(...args.slice(i + 1)), (i = args.length);
    else if (a.startsWith("--")) throw usageError(`unknown option '${a}' for lookup`);
    else out.words.push(a);
  }
  if (out.jsonl && out.words.length) throw usageError("--jsonl reads its cases from standard input, not arguments");
  return out;
}

export async function lookupCommand(args: string[]): Promise<number> {
  const opts = parseArgs(args);
  const { matcher, byId, articles } = knowledgeFromEnv();
  if (opts.jsonl) return jsonl(matcher.match);

  const text = opts.words.length ? opts.words.join(" ") : textFrom(await readStdin());
  if (!text.trim()) throw usageError("the text is empty: give an event ID, KB number or error message");
  const result = matcher.match(text, opts.mode);
  const suggestions = result.decision === "none" ? suggestIdentifiers(text, articles) : [];
  process.stdout.write(opts.json ? JSON.stringify(resultJson(result, suggestions)) + "\n" : formatResult(result, { suggestions, byId }));
  // As grep does: 0 when something was found (an answer or a pick list), 1 when nothing matched.
  return result.decision === "none" ? 1 : 0;
}

/** One result line per input line, in order, whatever the line holds: other tools align them by position. */
async function jsonl(match: Matcher["match"]): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let bad = 0;
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    let text: unknown;
    let mode: unknown = "command";
    try {
      const obj = JSON.parse(line) as { text?: unknown; mode?: unknown };
      text = obj?.text;
      mode = obj?.mode ?? "command";
    } catch {
      text = undefined;
    }
    if (typeof text !== "string" || (mode !== "command" && mode !== "channel")) {
      bad++;
      process.stderr.write(`exchange-bot: line ${lineNo}: expected {"text": "...", "mode": "command"|"channel"}\n`);
      process.stdout.write(JSON.stringify({ decision: "none", matches: [], error: "bad input line" }) + "\n");
      continue;
    }
    process.stdout.write(JSON.stringify(resultJson(match(text, mode))) + "\n");
  }
  return bad ? 1 : 0;
}
