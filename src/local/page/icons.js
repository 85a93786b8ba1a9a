// The emoji the bot and its knowledge base write (:white_check_mark:, :x:, :warning:, ...) and the common status
// ones, drawn as small inline SVG. A machine without an emoji font (a server, a minimal desktop, CI's Chromium)
// shows emoji code points as empty boxes; SVG in the page reads the same everywhere. Emoji without an icon here
// show as their :code:, as Slack shows an unknown one. Type-checked (checkJs, tsconfig.page.json).

const GREEN = "#2eb67d";
const RED = "#e01e5a";
const AMBER = "#ecb22e";
const BLUE = "#1d9bd1";
const GREY = "#616061";

/** @param {string} body @param {string} [viewBox] */
const svg = (body, viewBox = "0 0 16 16") => `<svg class="icon" viewBox="${viewBox}" width="1.1em" height="1.1em" aria-hidden="true" focusable="false">${body}</svg>`;

const CHECK = svg(`<rect width="16" height="16" rx="3" fill="${GREEN}"/><path d="M4 8.5l2.5 2.5L12 5.5" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`);
const TICK = svg(`<path d="M2.5 8.5l3.5 3.5L13.5 4" fill="none" stroke="${GREY}" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/>`);
const CROSS = svg(`<path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="${RED}" stroke-width="2.6" stroke-linecap="round"/>`);
const NO_ENTRY = svg(`<circle cx="8" cy="8" r="7" fill="${RED}"/><rect x="3.5" y="6.8" width="9" height="2.4" rx="1" fill="#fff"/>`);
const NO_SIGN = svg(`<circle cx="8" cy="8" r="6" fill="none" stroke="${RED}" stroke-width="2"/><path d="M3.8 3.8l8.4 8.4" stroke="${RED}" stroke-width="2"/>`);
const WARNING = svg(`<path d="M8 1.5L15 14H1z" fill="${AMBER}" stroke="${AMBER}" stroke-linejoin="round"/><rect x="7.1" y="5.5" width="1.8" height="4.8" rx=".9" fill="#1d1c1d"/><circle cx="8" cy="12.1" r="1" fill="#1d1c1d"/>`);
const HOURGLASS = svg(`<path d="M4 1.5h8M4 14.5h8M4.5 1.5c0 4 3.5 4.5 3.5 6.5S4.5 10.5 4.5 14.5M11.5 1.5c0 4-3.5 4.5-3.5 6.5s3.5 2.5 3.5 6.5" fill="none" stroke="${GREY}" stroke-width="1.4"/><path d="M6 13.5h4L8 10.5z" fill="${AMBER}"/>`);
const STOPWATCH = svg(`<circle cx="8" cy="9" r="5.8" fill="none" stroke="${GREY}" stroke-width="1.6"/><path d="M8 9V5.5M6.5 1.5h3" stroke="${GREY}" stroke-width="1.6" stroke-linecap="round"/>`);
const POINT_RIGHT = svg(`<path d="M1.5 8h10M8 4l4 4-4 4" fill="none" stroke="${BLUE}" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>`);
const INFO = svg(`<rect width="16" height="16" rx="3" fill="${BLUE}"/><circle cx="8" cy="4.3" r="1.2" fill="#fff"/><rect x="7" y="6.5" width="2" height="6.5" rx="1" fill="#fff"/>`);
const QUESTION = svg(`<text x="8" y="13" text-anchor="middle" font-size="14" font-weight="700" font-family="sans-serif" fill="${RED}">?</text>`);
const EXCLAMATION = svg(`<rect x="6.6" y="1.5" width="2.8" height="9" rx="1.4" fill="${RED}"/><circle cx="8" cy="13.3" r="1.5" fill="${RED}"/>`);
const THUMB_UP = svg(`<path d="M2 7h2.5v7H2zM5.5 7l3-5.5c1.2 0 1.8.8 1.6 2L9.6 6H13c.9 0 1.5.8 1.3 1.7l-1 5C13.1 13.5 12.5 14 11.8 14H5.5z" fill="${AMBER}"/>`);
const THUMB_DOWN = svg(`<g transform="rotate(180 8 8)"><path d="M2 7h2.5v7H2zM5.5 7l3-5.5c1.2 0 1.8.8 1.6 2L9.6 6H13c.9 0 1.5.8 1.3 1.7l-1 5C13.1 13.5 12.5 14 11.8 14H5.5z" fill="${AMBER}"/></g>`);
/** @param {string} colour */
const dot = (colour) => svg(`<circle cx="8" cy="8" r="6.5" fill="${colour}"/>`);
const LOCK = svg(`<rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="${AMBER}"/><path d="M5.2 7V5a2.8 2.8 0 015.6 0v2" fill="none" stroke="${GREY}" stroke-width="1.6"/>`);
const KEY = svg(`<circle cx="5" cy="8" r="3.2" fill="none" stroke="${AMBER}" stroke-width="2"/><path d="M8 8h6.5M12 8v2.5M14 8v2" stroke="${AMBER}" stroke-width="2"/>`);
const MAG = svg(`<circle cx="6.5" cy="6.5" r="4.3" fill="none" stroke="${GREY}" stroke-width="1.8"/><path d="M9.7 9.7L14.5 14.5" stroke="${GREY}" stroke-width="2.2" stroke-linecap="round"/>`);
const BULB = svg(`<path d="M8 1.5a4.6 4.6 0 00-2.6 8.4V12h5.2V9.9A4.6 4.6 0 008 1.5z" fill="${AMBER}"/><rect x="5.6" y="12.8" width="4.8" height="1.8" rx=".9" fill="${GREY}"/>`);
const ENVELOPE = svg(`<rect x="1.5" y="3.5" width="13" height="9" rx="1.2" fill="none" stroke="${GREY}" stroke-width="1.5"/><path d="M2 4.2l6 4.8 6-4.8" fill="none" stroke="${GREY}" stroke-width="1.5"/>`);
const GEAR = svg(`<circle cx="8" cy="8" r="4.6" fill="none" stroke="${GREY}" stroke-width="3" stroke-dasharray="2.4 1.2"/><circle cx="8" cy="8" r="2" fill="${GREY}"/>`);
const WRENCH = svg(`<path d="M10.5 1.8a3.6 3.6 0 00-3.8 4.8L1.8 11.5a1.5 1.5 0 002.1 2.1l4.9-4.9a3.6 3.6 0 004.8-3.8l-2.1 2.1-1.9-.5-.5-1.9z" fill="${GREY}"/>`);
const MEMO = svg(`<rect x="2.5" y="1.5" width="11" height="13" rx="1.2" fill="#fff" stroke="${GREY}" stroke-width="1.2"/><path d="M5 5h6M5 8h6M5 11h4" stroke="${GREY}" stroke-width="1.2"/>`);
const SIREN = svg(`<path d="M4 13V8a4 4 0 018 0v5z" fill="${RED}"/><rect x="2.5" y="13" width="11" height="2" rx=".6" fill="${GREY}"/>`);
const EYE = svg(`<path d="M1 8s2.6-4.5 7-4.5S15 8 15 8s-2.6 4.5-7 4.5S1 8 1 8z" fill="none" stroke="${GREY}" stroke-width="1.4"/><circle cx="8" cy="8" r="2.2" fill="${GREY}"/>`);
const ROBOT = svg(`<rect x="2.5" y="4.5" width="11" height="9" rx="2" fill="${GREY}"/><circle cx="6" cy="9" r="1.3" fill="#fff"/><circle cx="10" cy="9" r="1.3" fill="#fff"/><path d="M8 4.5V2" stroke="${GREY}" stroke-width="1.4"/>`);

/**
 * Emoji name to its icon.
 * @type {Record<string, string>}
 */
export const ICONS = {
  white_check_mark: CHECK,
  heavy_check_mark: TICK,
  x: CROSS,
  no_entry: NO_ENTRY,
  no_entry_sign: NO_SIGN,
  warning: WARNING,
  hourglass_flowing_sand: HOURGLASS,
  hourglass: HOURGLASS,
  stopwatch: STOPWATCH,
  point_right: POINT_RIGHT,
  information_source: INFO,
  question: QUESTION,
  exclamation: EXCLAMATION,
  thumbsup: THUMB_UP,
  "+1": THUMB_UP,
  thumbsdown: THUMB_DOWN,
  "-1": THUMB_DOWN,
  red_circle: dot(RED),
  large_green_circle: dot(GREEN),
  large_yellow_circle: dot(AMBER),
  lock: LOCK,
  key: KEY,
  mag: MAG,
  bulb: BULB,
  email: ENVELOPE,
  envelope: ENVELOPE,
  incoming_envelope: ENVELOPE,
  gear: GEAR,
  wrench: WRENCH,
  hammer_and_wrench: WRENCH,
  memo: MEMO,
  rotating_light: SIREN,
  robot_face: ROBOT,
  eye: EYE,
};
