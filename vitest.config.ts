import { defineConfig } from "vitest/config";

// Test tiers are selected explicitly. `unit` and `e2e` need no service: `e2e` runs the built CLI
// on the embedded chDB store and talks to the scripted model server fixture (together they are
// the services-free tier, `npm run test:offline`). `integration` talks to a real Kafka broker, a
// real ClickHouse server and a headless chromium, started by scripts/services.sh.
export default defineConfig({
  test: {
    // Three workers on this 2-core machine class (vitest's default is cores − 1 = one): the e2e
    // files mostly wait on the CLI processes they spawn. Measured, the services-free tier: 179 s
    // with one worker, 111 s with three.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/statistical/**/*.test.ts", "test/fuzz/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
