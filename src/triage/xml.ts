// Event XML (Event Viewer "Save as XML", wevtutil qe /f:xml and /f:RenderedXml), streamed with saxes:
// only the current <Event>'s few fields are held, so memory does not grow with the file.
import { SaxesParser } from "saxes";
import { eventId, levelName, normaliseTime, SKIP, type Yielded } from "./record.js";

const MAX_MESSAGE = 64 * 1024;

interface Current {
  provider: string;
  id: string;
  time: string;
  computer: string;
  level: string;
  message: string;
  data: string[];
}

const local = (name: string) => name.slice(name.indexOf(":") + 1);

/** Reads decoded text chunks and yields each <Event>; a record without provider or ID is SKIP. Throws on XML that is not well-formed. */
export async function* readEventXml(chunks: AsyncIterable<string>): AsyncGenerator<Yielded> {
  // wevtutil without /e: writes <Event> after <Event> with no root element: a fragment.
  const parser = new SaxesParser({ fragment: true });
  const out: Yielded[] = [];
  let cur: Current | undefined;
  const path: string[] = [];
  let text = "";
  parser.on("opentag", (tag) => {
    const name = local(tag.name);
    path.push(name);
    text = "";
    if (name === "Event") cur = { provider: "", id: "", time: "", computer: "", level: "", message: "", data: [] };
    if (!cur) return;
    const attr = (n: string) => {
      const v = tag.attributes[n];
      return typeof v === "string" ? v : "";
    };
    if (name === "Provider" && path.includes("System")) cur.provider = attr("EventSourceName") || attr("Name");
    else if (name === "TimeCreated") cur.time = attr("SystemTime");
  });
  parser.on("text", (t) => {
    if (cur && text.length < MAX_MESSAGE) text += t;
  });
  parser.on("cdata", (t) => {
    if (cur && text.length < MAX_MESSAGE) text += t;
  });
  parser.on("closetag", (tag) => {
    const name = local(tag.name);
    path.pop();
    if (!cur) return;
    const parent = path[path.length - 1];
    if (parent === "System") {
      if (name === "EventID") cur.id = text.trim();
      else if (name === "Computer") cur.computer = text.trim();
      else if (name === "Level") cur.level = levelName(text);
    } else if (name === "Message" && parent === "RenderingInfo") cur.message = text.trim();
    else if (name === "Level" && parent === "RenderingInfo" && text.trim()) cur.level = text.trim();
    else if ((name === "Data" || name === "Binary") && cur.data.length < 64 && text.trim()) cur.data.push(text.trim());
    text = "";
    if (name === "Event") {
      const id = eventId(cur.id);
      const time = cur.time ? normaliseTime(cur.time) : "";
      if (!cur.provider || id === undefined || (cur.time && !time)) out.push(SKIP);
      else
        out.push({ provider: cur.provider, id, time, computer: cur.computer, level: cur.level, message: cur.message || cur.data.join("\n") });
      cur = undefined;
    }
  });
  let first = true;
  for await (let chunk of chunks) {
    if (first) {
      // The XML declaration may only open a document, and a fragment parser refuses it: drop it (with a BOM).
      chunk = chunk.replace(/^\uFEFF?\s*<\?xml[^?]*\?>/, "").replace(/^\uFEFF/, "");
      first = false;
    }
    parser.write(chunk);
    if (out.length) yield* out.splice(0);
  }
  parser.close();
  if (out.length) yield* out.splice(0);
}
