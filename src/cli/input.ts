import { usageError } from "./usage.js";

/** Upper bound on what we read from stdin: enough for any paste, small enough to stay fast. */
export const MAX_STDIN_BYTES = 4 * 1024 * 1024;

export async function readStdin(limit = MAX_STDIN_BYTES): Promise<Buffer> {
  if (process.stdin.isTTY) {
    throw usageError("no text given: pass it as arguments (exchange-bot lookup 11202) or pipe it in");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw usageError(`input is over ${limit / 1024 / 1024} MB; paste the error itself, not the whole log`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Text a person could have pasted, or a usage error saying why not. */
export function textFrom(buf: Buffer): string {
  if (buf.length === 0 || buf.toString("utf8").trim() === "") throw usageError("the text is empty: give an event ID, KB number or error message");
  const sample = buf.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of sample) if (b === 0 || (b < 9) || (b > 13 && b < 32)) control++;
  if (control > sample.length * 0.05) throw usageError("the input looks binary, not text: paste the error message instead");
  return buf.toString("utf8");
}
