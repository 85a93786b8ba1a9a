// Work after an ack waits one turn of the event loop, so requests already arrived get their acks first.
// Without it, 1,000 commands arriving at once were each matched and rendered right after their own ack, before
// the next request was even read: the last ack waited for all the work before it (p99 2.2 s on 2 cores).

/** Resolves after the I/O already waiting (other requests, their acks) has been handled. */
export function afterPendingAcks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
