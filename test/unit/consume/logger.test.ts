import { describe, expect, it } from "vitest";
import { lineLogger } from "../../../src/consume/logger.js";

describe("the consumer's line logger", () => {
  it("writes entries at its level or more severe, one line each, naming the namespace and the error", () => {
    const lines: string[] = [];
    const logger = lineLogger((line) => lines.push(line), "warn", "consume").namespace("runner");
    logger.debug("fetched");
    logger.info("write failed, retrying");
    logger.warn("leaving the group failed", new Error("socket closed"));
    logger.namespace("store").error("gave up");
    expect(lines).toEqual([
      "consume: warn runner: leaving the group failed: socket closed\n",
      "consume: error runner.store: gave up\n",
    ]);
  });

  it("says everything at debug", () => {
    const lines: string[] = [];
    const logger = lineLogger((line) => lines.push(line), "debug", "consume");
    logger.debug("fetched");
    expect(lines).toEqual(["consume: debug: fetched\n"]);
  });
});
