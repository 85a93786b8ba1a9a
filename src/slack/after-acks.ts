// Work after an ack waits its turn: each turn of the event loop gives queued work a slice of a few
// milliseconds, then goes back to reading requests, so requests that arrive meanwhile are read, checked and
// acked between slices instead of behind all the work. Slack retries what is not acked within 3 s; a burst (a
// thousand commands at once) must get its acks first and its answers right after.
// One setImmediate per ack was not enough: each loop turn then ran the work of every request read in that
// turn, and requests arriving over a second still waited for the work of all those before them (p99 2.2 s).
// One piece of work per turn was too little: under a steady stream the answers fell behind the acks.

/** Milliseconds of queued work per loop turn before pending I/O (new requests, their acks) gets its turn. */
const SLICE_MS = 5;
/**
 * Work waiting beyond this, the slices grow: a flood must not be acked faster than it is answered for long,
 * or the queue (and the memory it holds) would grow without bound and a crash would lose everything acked in
 * it. Slower acks are then the honest signal: Slack slows down and retries.
 */
const MAX_QUEUED = 1000;
const FULL_SLICE_MS = 50;

const waiting: Array<() => void> = [];
let scheduled = false;

function turn(): void {
  scheduled = false;
  const end = performance.now() + (waiting.length > MAX_QUEUED ? FULL_SLICE_MS : SLICE_MS);
  const step = (): void => {
    waiting.shift()?.();
    if (waiting.length === 0) return;
    // The work just released runs first (its continuation was queued before this), so the clock covers it.
    if (performance.now() < end) queueMicrotask(step);
    else schedule();
  };
  step();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(turn);
}

/** Resolves when this piece of work's turn comes: after the I/O waiting now (other requests, their acks). */
export function afterPendingAcks(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}
