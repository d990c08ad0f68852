import { defineConfig } from "vitest/config";

// Test tiers are selected explicitly: the unit tier needs no service; the integration tier
// talks to a real Kafka broker, a real ClickHouse server and chDB, started by scripts/services.sh.
export default defineConfig({
  test: {
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
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
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
