// Event tables as the tools print them: Get-WinEvent / Get-EventLog | Format-Table (a header over a line of
// dashes), eventquery.vbs and other column layouts (a header "Type  Event  Date Time  Source  ComputerName"
// with or without dashes), and eventquery's rows on their own ("Error  11202  11/30/2026 10:02:03
// MSExchangePOP3  EX01"). A number under the event column is an event ID; the source under the source column
// on the same row is that event's source, so a row of another source does not count for ours.

/** Hands one event ID found in a table on, with the source its row names. */
export type PushTableEvent = (raw: string, via: string, source?: string) => void;

const ID_HEADER = /^(?:id|eventid|instanceid|event|eventcode)$/i;
const SOURCE_HEADER = /^(?:source|providername|sourcename|provider)$/i;
const MAX_ROWS = 500;

interface Column {
  start: number;
  end: number;
  name: string;
}

/**
 * A header line's words as columns ("Event ID" is one), or undefined at the first word that is no capitalised
 * column word: a line of prose stops being read there, however long it is.
 */
function headerColumns(header: string): Column[] | undefined {
  const out: Column[] = [];
  for (const m of header.matchAll(/event id|\S+/gi)) {
    const name = m[0].replace(/\s+/g, "");
    if (!/^[A-Z][A-Za-z]{1,20}$/.test(name)) return undefined;
    out.push({ start: m.index, end: m.index + m[0].length, name });
  }
  return out;
}

/** Columns from the dash groups under a header ("-----  ------"): exact, whatever the alignment of values. */
function dashColumns(header: string, rule: string): Column[] {
  const out: Column[] = [];
  for (const m of rule.matchAll(/-+/g)) out.push({ start: m.index, end: m.index + m[0].length, name: header.slice(m.index, m.index + m[0].length).trim().replace(/\s+/g, "") });
  return out;
}

const isRule = (line: string) => /^[\s-]+$/.test(line) && line.includes("--");

/** Where a value of column `i` may lie in a row: after the previous column's end, before the next one's start. */
function span(cols: readonly Column[], i: number, rowLength: number): [from: number, to: number] {
  return [i > 0 ? cols[i - 1]!.end : 0, i + 1 < cols.length ? cols[i + 1]!.start : rowLength];
}

/** The words of `row` that start inside column `i` (from its start to the next column's start). */
function cell(row: string, cols: readonly Column[], i: number): string {
  const [from, to] = span(cols, i, row.length + 1);
  const words: string[] = [];
  for (const m of row.matchAll(/\S+/g)) if (m.index >= from && m.index < to && m.index + m[0].length > cols[i]!.start - 1) words.push(m[0]);
  return words.join(" ");
}

/** Numbers in the event column: right-aligned under their header (Format-Table) or left-aligned (eventquery). */
function idsIn(row: string, cols: readonly Column[], col: number): string[] {
  const { start, end } = cols[col]!;
  const [from, to] = span(cols, col, row.length);
  const out: string[] = [];
  for (const m of row.matchAll(/\d{1,10}/g)) {
    const s = m.index;
    const e = s + m[0].length;
    const inside = e > from && s < to && (e >= end || s >= start);
    if (inside && !/[\d.:/]/.test(row[s - 1] ?? "") && !/[.:/]\d/.test(row.slice(e, e + 2)) && !/[\w-]/.test(row[e] ?? "")) out.push(m[0]);
  }
  return out;
}

function readRows(lines: readonly string[], first: number, cols: readonly Column[], push: PushTableEvent): void {
  const idCol = cols.findIndex((c) => ID_HEADER.test(c.name));
  if (idCol < 0) return;
  const srcCol = cols.findIndex((c) => SOURCE_HEADER.test(c.name));
  for (let j = first; j < lines.length && j < first + MAX_ROWS; j++) {
    const row = lines[j] ?? "";
    if (!row.trim()) break;
    if (isRule(row)) continue;
    const source = srcCol >= 0 ? cell(row, cols, srcCol).toLowerCase() || undefined : undefined;
    for (const id of idsIn(row, cols, idCol)) push(id, "event table column", source);
  }
}

// eventquery.vbs and Event Viewer text rows: a level, the event ID, a date and a time, then the source.
const LEVELS = "error|warning|information|critical|verbose|failure audit|success audit|audit failure|audit success|erreur|avertissement|fehler|warnung|informationen";
const TYPED_ROW = new RegExp(`^[ \\t]*(?:${LEVELS})[ \\t]{1,20}(\\d{1,5})[ \\t]{1,20}\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{1,4}[ \\t]{1,4}\\d{1,2}:\\d{2}(?::\\d{2})?(?:[ \\t]?[ap]m)?[ \\t]{1,30}([a-z][^\\n]{0,200})`, "gim");

/** The source cell of a typed row: an MSExchange name is one word; another source runs to the next wide gap. */
function rowSource(rest: string): string {
  const exchange = /^m[s5]exchange[a-z0-9]{1,40}\b/i.exec(rest);
  return (exchange ? exchange[0] : (rest.split(/[ ]{2,}|\t/)[0] ?? "")).trim().toLowerCase();
}

/** Event IDs of every event table and eventquery row in `text` (original case, one line per row). */
export function tableEventIds(text: string, push: PushTableEvent): void {
  const lines = text.split("\n", 5000);
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i] ?? "";
    const next = lines[i + 1] ?? "";
    if (isRule(next)) {
      readRows(lines, i + 2, dashColumns(header, next), push);
      i++;
      continue;
    }
    // Without dashes the header's own words give the columns. It must name both an event and a source column in
    // capitalised column words, so a line of prose with "event" and "source" in it is not read as a header.
    const cols = headerColumns(header);
    if (cols && cols.length >= 3 && cols.some((c) => ID_HEADER.test(c.name)) && cols.some((c) => SOURCE_HEADER.test(c.name))) readRows(lines, i + 1, cols, push);
  }
  for (const m of text.matchAll(TYPED_ROW)) push(m[1] ?? "", "event row", rowSource(m[2] ?? ""));
}
