// Decoded chunks to lines (LF or CRLF), holding at most one partial line.

const MAX_LINE = 1 << 20;

export async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of chunks) {
    rest += chunk;
    let at: number;
    while ((at = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, at).replace(/\r$/, "");
      rest = rest.slice(at + 1);
    }
    // A line longer than any export writes is cut rather than held whole.
    if (rest.length > MAX_LINE) rest = rest.slice(0, MAX_LINE);
  }
  if (rest) yield rest.replace(/\r$/, "");
}
