// One event as every export format yields it, and the time normalisation they share.

export interface EventRecord {
  provider: string;
  id: number;
  /** ISO 8601 UTC with microseconds ("2024-06-18T13:42:06.008110Z"), or "" when the export gave none. */
  time: string;
  computer: string;
  level: string;
  message: string;
}

/** A record a reader could not use: counted as skipped, never guessed at. */
export const SKIP = Symbol("skip");
export type Yielded = EventRecord | typeof SKIP;

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?\s*(Z|[+-]\d\d:?\d\d)?$/i;
// Get-WinEvent | Export-Csv and Event Viewer's CSV in the en-US culture: "6/18/2024 9:42:06 AM".
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d\d):(\d\d)(?: ?([AP]M))?$/i;
// ConvertTo-Json writes a DateTime as "/Date(1718703726008)/".
const MS_JSON = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

function format(ms: number, micros: string): string {
  if (!Number.isFinite(ms)) return "";
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.toISOString().slice(0, 19)}.${micros}Z`;
}

/** A time as the exports write it, to ISO UTC; "" when it is not one. No zone is read as UTC (as python-evtx writes it). */
export function normaliseTime(raw: string): string {
  const s = raw.trim();
  let m = ISO.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, se, frac = "", tz] = m;
    let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!);
    if (tz && tz.toUpperCase() !== "Z") {
      const t = tz.replace(":", "");
      const off = (+t.slice(1, 3) * 60 + +t.slice(3, 5)) * 60_000;
      ms += t[0] === "+" ? -off : off;
    }
    return format(ms, frac.slice(0, 6).padEnd(6, "0"));
  }
  m = US.exec(s);
  if (m) {
    const [, mo, d, y, h, mi, se, ampm] = m;
    let hour = +h!;
    if (ampm) hour = (hour % 12) + (ampm.toUpperCase() === "PM" ? 12 : 0);
    return format(Date.UTC(+y!, +mo! - 1, +d!, hour, +mi!, +se!), "000000");
  }
  m = MS_JSON.exec(s);
  if (m) {
    const ms = Number(m[1]);
    return format(ms - (ms % 1000), String(((ms % 1000) + 1000) % 1000).padStart(3, "0") + "000");
  }
  return "";
}

const LEVELS: Record<string, string> = { "0": "Information", "1": "Critical", "2": "Error", "3": "Warning", "4": "Information", "5": "Verbose" };

/** Event XML's numeric <Level> to the name Event Viewer shows; names pass through. */
export function levelName(raw: string): string {
  const s = raw.trim();
  return LEVELS[s] ?? s;
}

/** An event ID as exports write it ("11202", or "11202 (0x2BC2)"-free); undefined when it is not 0..65535. */
export function eventId(raw: unknown): number | undefined {
  const s = String(raw ?? "").trim();
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}
