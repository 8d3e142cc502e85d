import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: run files two at a time, each in its own process.
    pool: "forks",
    maxWorkers: 2,
  },
});
