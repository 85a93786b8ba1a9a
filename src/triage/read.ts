// A file to its exports: .gz unpacked, a .zip's entries one level deep, the format detected from the text,
// and the matching reader's records. Chunks flow through; nothing holds the whole file.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { basename } from "node:path";
import { pipeline, Readable } from "node:stream";
import yauzl from "yauzl";
import { containerOf, detectFormat, encodingOf, type Format } from "./detect.js";
import type { Yielded } from "./record.js";
import { readEventXml } from "./xml.js";
import { readTable } from "./table.js";
import { readEventJson } from "./json.js";
import { readWevtutilText } from "./text-export.js";

/** A file that is no export this reader reads: one line naming it and what was expected. */
export class TriageFileError extends Error {
  override name = "TriageFileError";
}

export const EXPECTED =
  "expected an event log export (event XML, Export-Csv or Event Viewer CSV/tab text, ConvertTo-Json, wevtutil /f:text), or a .gz/.zip of one";

export interface ExportPart {
  name: string;
  format: Format;
  records: AsyncGenerator<Yielded>;
}

const HEAD = 64 * 1024;

/** Reads until `min` bytes are in hand (or the stream ends), and hands back those bytes and the rest of the stream. */
async function peek(stream: AsyncIterable<Buffer>, min: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = stream[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < min) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    got.push(r.value);
    size += r.value.length;
  }
  const head = Buffer.concat(got);
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, rest: rest() };
}

async function* decode(bytes: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  const dec = new TextDecoder(encoding, { ignoreBOM: false });
  for await (const b of bytes) {
    const s = dec.decode(b, { stream: true });
    if (s) yield s;
  }
  const tail = dec.decode();
  if (tail) yield tail;
}

function reader(format: Format, text: AsyncIterable<string>): AsyncGenerator<Yielded> {
  switch (format) {
    case "event-xml":
      return readEventXml(text);
    case "csv":
      return readTable(text, ",");
    case "tsv":
      return readTable(text, "\t");
    case "json":
      return readEventJson(text);
    case "wevtutil-text":
      return readWevtutilText(text);
  }
}

const evtxAdvice = (name: string) =>
  `${name}: a binary .evtx log; convert it on Windows with 'wevtutil qe ${basename(name)} /lf:true /f:xml /e:Events > ${basename(name, ".evtx")}.xml' and triage the .xml`;

async function* partsOf(name: string, stream: AsyncIterable<Buffer>, depth: number): AsyncGenerator<ExportPart> {
  const { head, rest } = await peek(stream, HEAD);
  const container = containerOf(head);
  if (container === "evtx") throw new TriageFileError(evtxAdvice(name));
  if (container === "gzip" && depth === 0) {
    const gunzip = createGunzip();
    // pipeline carries a read error or a corrupt stream to the gunzip side, where the reader sees it.
    pipeline(Readable.from(rest), gunzip, () => undefined);
    yield* partsOf(name.replace(/\.gz$/i, ""), gunzip, depth + 1);
    return;
  }
  if (container !== "plain") throw new TriageFileError(`${name}: an archive inside an archive; ${EXPECTED}`);
  const encoding = encodingOf(head);
  const headText = new TextDecoder(encoding).decode(head.subarray(0, Math.min(head.length, 8192)));
  const detected = detectFormat(headText);
  if (!detected) throw new TriageFileError(`${name}: ${EXPECTED}`);
  if ("unsupported" in detected) throw new TriageFileError(`${name}: ${detected.unsupported}`);
  yield { name, format: detected.format, records: reader(detected.format, decode(rest, encoding)) };
}

function zipEntries(path: string): AsyncGenerator<{ name: string; stream: Readable }> {
  return (async function* () {
    const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
      yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, z) => (err || !z ? rej(err ?? new Error("no zip")) : res(z))),
    );
    try {
      for (;;) {
        const entry = await new Promise<yauzl.Entry | undefined>((res, rej) => {
          zip.once("entry", res);
          zip.once("end", () => res(undefined));
          zip.once("error", rej);
          zip.readEntry();
        });
        if (!entry) return;
        zip.removeAllListeners("entry").removeAllListeners("end").removeAllListeners("error");
        if (entry.fileName.endsWith("/")) continue;
        const stream = await new Promise<Readable>((res, rej) => zip.openReadStream(entry, (err, s) => (err || !s ? rej(err) : res(s))));
        yield { name: entry.fileName, stream };
      }
    } finally {
      zip.close();
    }
  })();
}

/** Each export in the file (a .zip may hold several). Throws TriageFileError for what is no readable export. */
export async function* readExports(path: string): AsyncGenerator<ExportPart> {
  const stream = createReadStream(path, { highWaterMark: HEAD });
  const { head, rest } = await peek(stream, 8);
  if (containerOf(head) === "zip") {
    stream.destroy();
    let entries: AsyncGenerator<{ name: string; stream: Readable }>;
    try {
      entries = zipEntries(path);
      for await (const e of entries) yield* partsOf(`${path}:${e.name}`, e.stream, 1);
    } catch (err) {
      if (err instanceof TriageFileError) throw err;
      throw new TriageFileError(`${path}: a broken .zip (${(err as Error).message.slice(0, 80)}); ${EXPECTED}`);
    }
    return;
  }
  yield* partsOf(path, rest, 0);
}
