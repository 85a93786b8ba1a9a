// Word-level helpers shared by the fuzzy index and the command-mode relevance check.

const STOPWORDS = new Set(
  "a an the is are was were be been to of by in on at for from with and or as it its this that these those has have had do does did can could will would should may might you your we our they their he she his her i me my there here then than so if into over".split(" "),
);

export interface Token {
  word: string;
  start: number;
  end: number;
}

/**
 * Shorthand admins type in chat for words of error messages ("reqd privilege", "bad pwd"): read as the word.
 * General IT shorthand only; nothing here names an article.
 */
const ABBREVIATIONS = new Map<string, string>(Object.entries({
  reqd: "required", req: "required", priv: "privilege", privs: "privileges", pwd: "password", passwd: "password", pw: "password",
  usr: "user", acct: "account", svc: "service", auth: "authentication", creds: "credentials", cred: "credentials",
  perms: "permissions", perm: "permission", msg: "message", srv: "server", svr: "server", exch: "exchange", unk: "unknown",
  clnt: "client", authz: "authorized",
}));

/** Lower-case alphanumeric runs with their offsets in the given (already lower-cased) text; shorthand expanded. */
export function tokenize(lower: string): Token[] {
  const out: Token[] = [];
  const re = /[a-z0-9]+/g;
  for (let m = re.exec(lower); m; m = re.exec(lower)) out.push({ word: ABBREVIATIONS.get(m[0]) ?? m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** The same expansion over a short stretch of text, for comparing it with a phrase. */
export function expandAbbreviations(lower: string): string {
  return lower.replace(/[a-z]+/g, (w) => ABBREVIATIONS.get(w) ?? w);
}

/** Words people put around a query that say nothing about which fault it is ("error", "after", "what does"). */
export const QUERY_FILLER: ReadonlySet<string> = new Set(
  "event events eventid error errors exchange server servers log logs logged logging what does mean means meaning help about getting seeing again source application warning failure audit please anyone know why how fix id ids number code msexchange microsoft ms".split(" "),
);

/** Filler that asks a question ("how do I renew ..."): a how-to is not an error, so these keep their full weight. */
const QUESTION_WORDS: ReadonlySet<string> = new Set("what does mean means meaning help about please anyone know why how fix".split(" "));

/** Words that only say when something happened ("error after PASS"). */
const CONNECTIVES: ReadonlySet<string> = new Set("after before when while during since once".split(" "));

/** Protocol commands a query names ("after PASS", "on EHLO"): they place the fault, the article need not say them.
 * Commands that are everyday words too (USER, DATA, STAT) are left out: "enable pop3 for a user" is about a user. */
const PROTOCOL_COMMANDS: ReadonlySet<string> = new Set("pass apop stls capa retr ehlo helo rcpt starttls xoauth2".split(" "));

/** A word that can name a fault: not filler, not a protocol command, not a connective. */
export function namesSomething(word: string): boolean {
  return !QUERY_FILLER.has(word) && !PROTOCOL_COMMANDS.has(word) && !CONNECTIVES.has(word);
}

/**
 * How much a query word weighs in how much of the query an entry covers when the entry lacks it: a protocol
 * command or a connective nothing (they place the fault in time), a filler word half ("error", "server": a query
 * of filler around one real word is still mostly not about the article), every other word, question words
 * included, fully. A word the entry has counts fully.
 */
export function queryWeight(word: string, found: boolean): number {
  if (found) return 1;
  if (PROTOCOL_COMMANDS.has(word) || CONNECTIVES.has(word)) return 0;
  return QUERY_FILLER.has(word) && !QUESTION_WORDS.has(word) ? 0.5 : 1;
}

/** No word in an error message is longer than this; longer runs are noise (hex dumps, base64, binary). */
export const MAX_WORD = 40;

/** Words that carry meaning: not stopwords, at least 3 characters (numbers always count). */
export function isSignificant(word: string): boolean {
  return (word.length >= 3 || /^\d+$/.test(word)) && word.length <= MAX_WORD && !STOPWORDS.has(word);
}

/**
 * Typo keys in the SymSpell style: the word and every single-character deletion. Two words share a key
 * when they are within one edit (or a swap of neighbours). Numbers and short words only match exactly:
 * 13002 must never find 13003.
 */
export function typoKeys(word: string): string[] {
  // Deletion keys cost length² characters: a 100,000-letter "word" from a binary paste must not get any.
  if (word.length < 4 || word.length > MAX_WORD || /\d/.test(word)) return [word];
  const keys = new Set<string>([word]);
  for (let i = 0; i < word.length; i++) keys.add(word.slice(0, i) + word.slice(i + 1));
  return [...keys];
}
