import { type ChildProcess, spawn } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";
import { inject } from "vitest";

let counter = 0;

/** A Kafka client for tests against the real broker the services script started. */
export function testKafka(): Kafka {
  return new Kafka({
    clientId: "shadowdiff-test",
    brokers: inject("kafkaBrokers").split(","),
    logLevel: logLevel.NOTHING,
  });
}

/** A fresh topic (and its dead-letter topic) of its own for one test. */
export async function freshTopic(kafka: Kafka, partitions = 4): Promise<string> {
  counter++;
  const topic = `t-${process.pid}-${Date.now().toString(36)}-${counter}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        { topic, numPartitions: partitions },
        { topic: `${topic}.dead-letter`, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** All messages of a topic, read from the beginning by a throwaway group. */
export async function readAll(
  kafka: Kafka,
  topic: string,
  expected: number,
  timeoutMs = 20_000,
): Promise<{ value: string; headers: Record<string, string> }[]> {
  const consumer = kafka.consumer({ groupId: `reader-${Date.now()}-${Math.random()}` });
  const messages: { value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(message.headers ?? {})) headers[key] = String(value);
        messages.push({ value: message.value?.toString() ?? "", headers });
        if (messages.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return messages;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  stderr(): string;
}

/** The built CLI as its own process (a consumer can then be SIGKILLed for real). */
export function startCli(args: readonly string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn("node", ["bin/shadowdiff.js", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      child.on("exit", (code, signal) => resolve({ code, signal, stderr }));
    },
  );
  return { child, exited, stderr: () => stderr };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
