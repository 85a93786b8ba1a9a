// node:tls (and the crypto it brings) would cost every plain-text probe memory and start-up time for nothing:
// it is loaded the first time a probe starts TLS or judges a certificate.
import { createRequire } from "node:module";

type Tls = typeof import("node:tls");
let tls: Tls | undefined;

export function nodeTls(): Tls {
  return (tls ??= createRequire(import.meta.url)("node:tls") as Tls);
}
