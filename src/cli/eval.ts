import { readFileSync } from "node:fs";
import { evaluate, parseCases } from "../match/evaluate.js";
import { knowledgeFromEnv } from "./knowledge.js";
import { usageError } from "./usage.js";

export async function evalCommand(args: string[]): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw usageError("eval takes one case file: exchange-bot eval FILE.jsonl");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a case file" : `cannot read it (${code ?? "error"})`;
    throw usageError(`${file}: ${why}`, { selfExplained: true });
  }
  const cases = parseCases(text, file);
  const started = performance.now();
  const r = evaluate(cases, knowledgeFromEnv().matcher);
  const ms = performance.now() - started;
  for (const m of r.misses) {
    const want = m.case.expect ?? "no answer";
    const got = `${m.got.decision} ${m.got.matches[0]?.article.id ?? "-"}`;
    process.stdout.write(`miss #${m.index + 1} [${m.case.mode}] want ${want}, got ${got}: ${JSON.stringify(m.case.text.slice(0, 100))}\n`);
  }
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : "100.0");
  process.stdout.write(
    `${r.total} cases in ${ms.toFixed(0)} ms; answered right ${r.hits}/${r.positives} (${pct(r.hits, r.positives)}%), left alone ${r.quiet}/${r.negatives} (${pct(r.quiet, r.negatives)}%)\n`,
  );
  return r.misses.length ? 1 : 0;
}
