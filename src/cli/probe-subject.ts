// What `exchange-bot probe NAME` means when NAME is not in the probe hosts file. Exchange networks name servers
// the NetBIOS way (EXCH01, HUB02): a short name that resolves is a host to probe, as `telnet exch01 110` would,
// and the output says it was probed as a host name rather than as a hosts-file entry. One that does not resolve
// is neither, and the message says both.
/** How long a name may take to resolve before it counts as not resolving: a CLI answer, not a DNS debugger. */
export const RESOLVE_MS = 2000;

export type Resolve = (name: string) => Promise<string>;

// node:dns loads only when a name needs resolving: a hosts-file probe never pays for it.
const systemResolve: Resolve = async (name) => (await (await import("node:dns/promises")).lookup(name)).address;

/** The address `name` resolves to, or undefined when it does not (or not within RESOLVE_MS). */
export async function resolvesTo(name: string, resolve: Resolve = systemResolve, ms = RESOLVE_MS): Promise<string | undefined> {
  // Only names a resolver could take: letters, digits, hyphens and dots (no spaces, no URL, no path).
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,62}(\.[A-Za-z0-9-]{1,63})*$/.test(name)) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([resolve(name).catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The line the text output opens with when a name was probed as a host rather than a hosts-file entry. */
export function probedAsHostNote(name: string, address: string, hostsFile: string): string {
  return `'${name.slice(0, 64)}' is not in ${hostsFile}; probed it as a host name (it resolves to ${address}).`;
}
