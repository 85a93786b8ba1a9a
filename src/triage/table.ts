// Delimited exports: Get-WinEvent | Export-Csv (Id, ProviderName, TimeCreated, MachineName, LevelDisplayName,
// Message) and Event Viewer's "Save as" CSV and tab-separated text (Level, Date and Time, Source, Event ID,
// Task Category, then the unnamed description), streamed with csv-parse.
import { parse } from "csv-parse";
import { Readable } from "node:stream";
import { eventId, normaliseTime, SKIP, type Yielded } from "./record.js";

interface Columns {
  provider: number;
  id: number;
  time: number;
  computer: number;
  level: number;
  message: number;
}

/** The columns a header row names, or undefined when it is neither export's header. */
export function columnsOf(header: readonly string[]): Columns | undefined {
  const at = (...names: string[]) => header.findIndex((h) => names.includes(h.trim().toLowerCase()));
  const provider = at("providername", "source");
  const id = at("id", "event id", "eventid");
  if (provider < 0 || id < 0) return undefined;
  const message = at("message", "description");
  return {
    provider,
    id,
    time: at("timecreated", "date and time", "date"),
    computer: at("machinename", "computer"),
    level: at("leveldisplayname", "level"),
    // Event Viewer leaves the description's column without a name: the one after the header's last.
    message: message >= 0 ? message : header.length,
  };
}

/**
 * Drops Export-Csv's "#TYPE" line and names Event Viewer's unnamed description column, so every row has the
 * header's width: csv-parse builds an error object for each row whose width differs from the first's, even when
 * relaxed, and that alone made reading four times slower.
 */
async function* evenHeader(chunks: AsyncIterable<string>, delimiter: string): AsyncGenerator<string> {
  let head = "";
  const it = chunks[Symbol.asyncIterator]();
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    head += r.value;
    const typeLine = /^\uFEFF?#TYPE [^\n]*\n/.exec(head);
    if (typeLine) head = head.slice(typeLine[0].length);
    else if (/^\uFEFF?#/.test(head) && !head.includes("\n")) continue;
    if (head.includes("\n") || head.length > 1 << 20) break;
  }
  const end = head.indexOf("\n");
  if (end >= 0) {
    const line = head.slice(0, end).replace(/\r$/, "");
    const cells = line.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, "").toLowerCase());
    const named = cells.includes("message") || cells.includes("description");
    if (!named && cells.includes("event id")) head = `${line}${delimiter}Description${head.slice(line.length)}`;
  }
  yield head;
  for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
}

/** Rows after the header; a row whose event ID or time cannot be read is SKIP. Throws when the header is no export's. */
export async function* readTable(chunks: AsyncIterable<string>, delimiter: "," | "\t"): AsyncGenerator<Yielded> {
  const parser = Readable.from(evenHeader(chunks, delimiter)).pipe(
    parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: 1 << 20 }),
  );
  let cols: Columns | undefined;
  for await (const row of parser as AsyncIterable<string[]>) {
    if (!cols) {
      if (row.length === 1 && /^#TYPE /.test(row[0] ?? "")) continue;
      cols = columnsOf(row);
      if (!cols) throw new Error("no ProviderName/Source and Id/Event ID columns in the header");
      continue;
    }
    const cell = (i: number) => (i >= 0 ? (row[i] ?? "") : "");
    const id = eventId(cell(cols.id));
    const provider = cell(cols.provider).trim();
    const rawTime = cell(cols.time);
    const time = rawTime.trim() ? normaliseTime(rawTime) : "";
    if (!provider || id === undefined || (rawTime.trim() && !time)) {
      yield SKIP;
      continue;
    }
    yield { provider, id, time, computer: cell(cols.computer).trim(), level: cell(cols.level).trim(), message: cell(cols.message).trim() };
  }
  if (!cols) throw new Error("no header row");
}
