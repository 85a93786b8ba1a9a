// Why a server could not listen, in words that say which setting to change. Shared by every mode's start-up.

/** A sentence for a listen error (busy port, no permission, address not on this machine); undefined for anything else. */
export function listenFailure(err: unknown, host: string, port: number): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") return `port ${port} is already in use: set PORT to a free port (PORT=0 picks one)`;
  if (code === "EACCES" || code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return `cannot listen on ${host}:${port} (${code}): check HOST and PORT`;
  return undefined;
}
