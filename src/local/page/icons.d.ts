// Types for icons.js (plain JS because the browser loads it as is); tests import it.
export const ICONS: Readonly<Record<string, string>>;
