// What the channel page knows and where it draws: the conversation as the stand-in recorded it, the open
// thread, and the page's own elements. Type-checked (checkJs, tsconfig.page.json).

/** @typedef {import("../message-store.js").RecordedMessage} Message */
/** @typedef {import("../page-routes.js").PageInfo} PageInfo */

/** @type {{ info: PageInfo | undefined; messages: Map<string, Message>; seq: number; thread: string | undefined; closed: Set<string>; follow: string | undefined }} */
export const state = {
  info: undefined,
  /** ts -> the message as the stand-in recorded it. */
  messages: new Map(),
  seq: 0,
  /** ts of the thread open in the side pane. */
  thread: undefined,
  /** Threads the person has closed: a new reply there does not force them open again. */
  closed: new Set(),
  /** A message in the channel whose button was just clicked: its thread opens when the bot answers there. */
  follow: undefined,
};

/** The page's own elements exist (index.html has them): a missing one is a bug worth an exception. */
export const $ = (/** @type {string} */ id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
};
/** An input or textarea of the page, by id. */
export const field = (/** @type {string} */ id) => /** @type {HTMLTextAreaElement} */ ($(id));
