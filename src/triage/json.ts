// Get-WinEvent | ConvertTo-Json: one array of objects (or one object). The top-level objects are cut out of
// the stream one at a time (strings and nesting tracked), so only one event is held.
import { eventId, normaliseTime, SKIP, type Yielded } from "./record.js";

const MAX_OBJECT = 4 << 20;

function toRecord(obj: unknown): Yielded {
  if (!obj || typeof obj !== "object") return SKIP;
  const o = obj as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
  const provider = str(o.ProviderName).trim();
  const id = eventId(o.Id);
  const rawTime = o.TimeCreated && typeof o.TimeCreated === "object" ? str((o.TimeCreated as Record<string, unknown>).value) : str(o.TimeCreated);
  const time = rawTime ? normaliseTime(rawTime) : "";
  if (!provider || id === undefined || (rawTime && !time)) return SKIP;
  return { provider, id, time, computer: str(o.MachineName).trim(), level: str(o.LevelDisplayName).trim(), message: str(o.Message).trim() };
}

export async function* readEventJson(chunks: AsyncIterable<string>): AsyncGenerator<Yielded> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let buf = "";
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (depth > 0) buf += c;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{") {
        if (depth === 0) buf = "{";
        depth++;
      } else if (c === "}") {
        depth--;
        if (depth === 0) {
          let obj: unknown;
          try {
            obj = JSON.parse(buf);
          } catch {
            obj = undefined;
          }
          yield toRecord(obj);
          buf = "";
        } else if (depth < 0) throw new Error("unbalanced braces");
      }
      if (buf.length > MAX_OBJECT) throw new Error("an event object larger than 4 MB");
    }
  }
  if (depth !== 0 || inString) throw new Error("the JSON ends inside an event");
}
