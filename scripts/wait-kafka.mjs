// Waits until a Kafka broker answers, for scripts/services.sh:
//   node scripts/wait-kafka.mjs [HOST:PORT] [--timeout SECONDS] [--pid PID] [--probe]
// Readiness is a real round trip, not a log line: describeCluster and listTopics. With --probe
// (after a start) it also creates and deletes a topic, which needs the controller, and looks up
// a group coordinator, which makes the broker create __consumer_offsets now rather than during
// the first test. --pid gives up as soon as that process has exited.
// Exit 0 when ready; 1 with the last error on stderr when not.
import { parseArgs } from "node:util";
import kafkajs from "kafkajs";

const { Kafka, logLevel } = kafkajs;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    timeout: { type: "string", default: "90" },
    pid: { type: "string" },
    probe: { type: "boolean", default: false },
  },
});
const broker = positionals[0] ?? "127.0.0.1:19092";
const seconds = Number(values.timeout);
if (!(seconds > 0)) fail(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
const deadline = Date.now() + seconds * 1000;
const probeName = `shadowdiff-ready-probe-${process.pid}`;

const kafka = new Kafka({
  clientId: "shadowdiff-wait",
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 5000,
  // The loop below does the retrying, so a failed attempt reports at once.
  retry: { retries: 0 },
});

// Each step is retried until it passes; a step that passed is not repeated.
const steps = [
  {
    name: "describeCluster",
    run: async (admin) => {
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error("metadata lists no broker yet");
      return `${cluster.brokers.length} broker(s), controller ${cluster.controller}`;
    },
  },
  { name: "listTopics", run: async (admin) => `${(await admin.listTopics()).length} topic(s)` },
];
if (values.probe) {
  steps.push(
    {
      name: "create probe topic",
      run: async (admin) => {
        await admin.createTopics({
          topics: [{ topic: probeName, numPartitions: 1, replicationFactor: 1 }],
          waitForLeaders: true,
          timeout: 5000,
        });
        return "probe topic created";
      },
    },
    {
      name: "delete probe topic",
      run: async (admin) => {
        await admin.deleteTopics({ topics: [probeName], timeout: 5000 });
        return "deleted";
      },
    },
    {
      // The first lookup answers "coordinator not available" while __consumer_offsets is
      // created, then "coordinator is loading"; consumer groups work once this passes.
      name: "group coordinator",
      run: async (admin) => {
        await admin.describeGroups([probeName]);
        return "group coordinator ready";
      },
    },
  );
}

function brokerProcessGone() {
  if (values.pid === undefined) return false;
  try {
    process.kill(Number(values.pid), 0);
    return false;
  } catch {
    return true;
  }
}

function fail(message) {
  process.stderr.write(`wait-kafka: ${broker} ${message}\n`);
  process.exit(1);
}

const passed = [];
let lastError = "no attempt yet";
let admin = kafka.admin();
let connected = false;
for (const step of steps) {
  for (;;) {
    if (brokerProcessGone()) fail(`is not ready and the broker process ${values.pid} has exited`);
    if (Date.now() >= deadline) fail(`did not become ready within ${seconds} s; last error: ${lastError}`);
    try {
      if (!connected) {
        await admin.connect();
        // A fresh admin knows only the seed broker until metadata is loaded; without this,
        // describeGroups fails with "No brokers in the broker pool".
        await admin.describeCluster();
        connected = true;
      }
      passed.push(await step.run(admin));
      break;
    } catch (error) {
      lastError = `${step.name}: ${error instanceof Error ? error.message : String(error)}`;
      await admin.disconnect().catch(() => {});
      admin = kafka.admin();
      connected = false;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
await admin.disconnect().catch(() => {});
process.stderr.write(`wait-kafka: ${broker} ready: ${passed.join(", ")}\n`);
process.exit(0);
