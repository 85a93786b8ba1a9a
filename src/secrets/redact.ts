// The one redaction every output of a probe goes through (CLI text, JSON and nagios, the audit line, Slack,
// the Redis audit stream all render a result whose text was passed through here). A server may echo a
// secret altered: upper-cased, cut short, base64- or hex-encoded, spaced out. So each secret is searched in
// several encodings, case-insensitively, with separators ignored, and any run of enough consecutive
// characters of it is masked, not only the whole. It takes any number of secrets (a password, the SASL
// blobs sent, later an OAuth token).

export const MASK = "********";
/** Secrets shorter than this are not searched for: masking every "a" would hide the transcript. */
export const MIN_SECRET_LEN = 4;
/** A run of this many consecutive characters of a secret is masked wherever it appears. */
const RUN = 6;
/** Spacing a server may put between the characters of an echoed secret ("p a s s", "70:61:73"). */
const SEPARATOR = /[\s\-_.:,|'"]/u;

const WINDOWS_1252 = new TextDecoder("windows-1252");

interface Needle {
  /** Lower-cased. */
  text: string;
  /** Shortest run of it that is masked. */
  run: number;
  /** The same with separators removed: masked only whole, as spacing between words is common in any text. */
  whole: string;
}

function compact(text: string): { text: string; at: number[] } {
  let out = "";
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (SEPARATOR.test(c)) continue;
    const lower = c.toLowerCase();
    // A lower-case form may be longer than one code unit (rare); each unit maps back to the same place.
    for (let k = 0; k < lower.length; k++) at.push(i);
    out += lower;
  }
  return { text: out, at };
}

/**
 * The base64 characters that carry the secret when k bytes come before it in what was encoded (a SASL blob
 * "\0user\0password", a password cut short): the characters that mix in other bytes are left out.
 */
function base64Inside(bytes: Buffer, k: number): string {
  const all = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
  const end = Math.floor(((k + bytes.length) * 8) / 6);
  return all.slice(Math.ceil((k * 8) / 6), end);
}

/** The forms a server could echo a secret in, each with the run length that gives it away. */
function needles(secret: string): Needle[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms: { text: string; run: number }[] = [
    { text: secret, run: RUN },
    // A line that is not valid UTF-8 is read as Windows-1252: a non-ASCII secret echoed in UTF-8 shows as that.
    { text: WINDOWS_1252.decode(bytes), run: RUN },
    // Six bytes of the secret are twelve hex digits and eight base64 characters.
    { text: bytes.toString("hex"), run: RUN * 2 },
    ...[0, 1, 2].map((k) => ({ text: base64Inside(bytes, k), run: 8 })),
  ];
  const out: Needle[] = [];
  for (const f of forms) {
    const text = f.text.toLowerCase();
    if (text.length >= MIN_SECRET_LEN && !out.some((o) => o.text === text)) out.push({ text, run: Math.min(f.run, text.length), whole: compact(text).text });
  }
  return out;
}

export interface Redactor {
  /** Adds a secret (too short ones are ignored); every later redact() masks it. */
  add(secret: string | undefined): void;
  /** Text with every form of every secret masked. */
  redact(text: string): string;
}

export function createRedactor(secrets: readonly (string | undefined)[] = []): Redactor {
  const list: Needle[] = [];
  const seen = new Set<string>();
  const add = (secret: string | undefined): void => {
    if (!secret || secret.length < MIN_SECRET_LEN || seen.has(secret)) return;
    seen.add(secret);
    for (const n of needles(secret)) if (!list.some((o) => o.text === n.text && o.run <= n.run)) list.push(n);
  };
  secrets.forEach(add);
  return {
    add,
    redact(text: string): string {
      if (!list.length || text.length < MIN_SECRET_LEN) return text;
      // marked[i]: character i of the text belongs to an echo of a secret.
      const marked = new Uint8Array(text.length);
      let any = false;
      const lower = text.toLowerCase();
      const spaced = compact(text);
      for (const n of list) {
        // Runs are searched in the text as it is (lower-cased); a letter whose lower case is longer shifts places, and is rare enough to leave to the whole-form search.
        if (lower.length === text.length) {
          for (let w = 0; w + n.run <= n.text.length; w++) {
            const piece = n.text.slice(w, w + n.run);
            for (let i = lower.indexOf(piece); i >= 0; i = lower.indexOf(piece, i + 1)) {
              marked.fill(1, i, i + n.run);
              any = true;
            }
          }
        }
        for (let i = spaced.text.indexOf(n.whole); n.whole && i >= 0; i = spaced.text.indexOf(n.whole, i + 1)) {
          // A spaced-out echo is masked from its first character to its last, separators included.
          marked.fill(1, spaced.at[i]!, spaced.at[i + n.whole.length - 1]! + 1);
          any = true;
        }
      }
      if (!any) return text;
      let out = "";
      let from = 0;
      for (let i = 0; i < marked.length; i++) {
        if (!marked[i]) continue;
        let j = i;
        while (j + 1 < marked.length && marked[j + 1]) j++;
        out += text.slice(from, i) + MASK;
        from = j + 1;
        i = j;
      }
      return out + text.slice(from);
    },
  };
}

/** One-off: text with every form of the given secrets masked. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return createRedactor(secrets).redact(text);
}
