// wevtutil qe LOG /f:text: "Event[N]:" then "  Field: value" lines, the description's lines after "Description:".
import { eventId, levelName, normaliseTime, SKIP, type Yielded } from "./record.js";
import { lines } from "./lines.js";

const MAX_MESSAGE = 64 * 1024;

export async function* readWevtutilText(chunks: AsyncIterable<string>): AsyncGenerator<Yielded> {
  let cur: Record<string, string> | undefined;
  let inDescription = false;
  const finish = (): Yielded | undefined => {
    if (!cur) return undefined;
    const id = eventId(cur["event id"]);
    const time = cur["date"] ? normaliseTime(cur["date"]) : "";
    const provider = (cur["source"] ?? "").trim();
    if (!provider || id === undefined || (cur["date"] && !time)) return SKIP;
    return { provider, id, time, computer: cur["computer"] ?? "", level: levelName(cur["level"] ?? ""), message: (cur["description"] ?? "").trim() };
  };
  for await (const line of lines(chunks)) {
    if (/^Event\[\d+\]:\s*$/.test(line)) {
      const r = finish();
      if (r) yield r;
      cur = {};
      inDescription = false;
      continue;
    }
    if (!cur) continue;
    if (inDescription) {
      if ((cur["description"] ?? "").length < MAX_MESSAGE) cur["description"] = `${cur["description"] ?? ""}\n${line}`;
      continue;
    }
    const m = /^\s+([A-Za-z][A-Za-z ]*?):\s?(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    cur[key] = m[2]!.trim();
    if (key === "description") inDescription = true;
  }
  const r = finish();
  if (r) yield r;
}
