// The files people write by hand (knowledge articles, the probe hosts file) are read one way: a size cap
// checked before reading, and no binary data. (Their YAML: yaml-text.ts, loaded only where it is parsed.)
import { readFileSync, statSync } from "node:fs";

export type TextFileProblem = { reason: "missing" | "unreadable" | "too_big" | "binary"; message: string };

/** The file's text, or what is wrong with it in words (no file name: callers say which file). */
export function readTextFile(path: string, maxBytes: number, expected: string): { text: string } | { problem: TextFileProblem } {
  let raw: Buffer;
  try {
    const size = statSync(path).size;
    if (size > maxBytes) return { problem: { reason: "too_big", message: `${size} bytes, over the ${maxBytes} byte limit` } };
    raw = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { problem: { reason: "missing", message: "no such file" } };
    return { problem: { reason: "unreadable", message: `cannot be read (${code ?? String(err)})` } };
  }
  if (raw.includes(0)) return { problem: { reason: "binary", message: `binary data (NUL bytes), expected ${expected}` } };
  return { text: raw.toString("utf8") };
}
