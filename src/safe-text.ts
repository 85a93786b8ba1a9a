// The one sanitiser for text from outside (a server's replies, step details, arguments echoed back) before
// a terminal or a transcript shows it. C0 and C1 control characters can clear a screen or set a window
// title (ESC[2J, OSC), and the bidi overrides U+202A-U+202E and U+2066-U+2069 can make text read in
// another order than it is. Each is shown as an escape (\x1b, \u202e) instead. Tab and newline are kept
// where the caller says the text is multi-line.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, "g");
// eslint-disable-next-line no-control-regex
const UNSAFE_WITH_BREAKS_ALL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The bidi overrides and isolates alone, for text whose other controls are handled elsewhere (Slack). */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Outside text: every control but tab and newline as an escape (as transcripts have always shown them). */
export function escapeControls(text: string): string {
  // Nearly every line is clean: a test is far cheaper than a replace with a callback.
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeOne) : text;
}

/** Text for a terminal that is meant to hold several lines: newlines (and CRLF) kept, every other control escaped. */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(UNSAFE_WITH_BREAKS_ALL, (c) => (c === "\n" ? c : escapeOne(c)));
}

/** A JSON text safe to print: C1 controls and bidi overrides written as \u escapes (still the same JSON). */
export function jsonSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
