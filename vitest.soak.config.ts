import { defineConfig } from "vitest/config";

// `npm run test:soak`: the long runs (10,000 events across replicas), kept out of `npm test`.
export default defineConfig({
  test: {
    include: ["test/soak/**/*.soak.ts"],
    testTimeout: 1_200_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default"],
  },
});
