// Waits until a Kafka broker answers the admin API: `node scripts/wait-kafka.mjs HOST:PORT [SECONDS]`.
// Readiness is a real metadata round trip (describeCluster, then listTopics), not a log line.
import kafkajs from "kafkajs";

const { Kafka, logLevel } = kafkajs;
const broker = process.argv[2] ?? "127.0.0.1:19092";
const seconds = Number(process.argv[3] ?? 90);
const deadline = Date.now() + seconds * 1000;
const kafka = new Kafka({
  clientId: "shadowdiff-wait",
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  retry: { retries: 0 },
});

let lastError = "no attempt";
while (Date.now() < deadline) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.listTopics();
    await admin.disconnect();
    process.stderr.write(
      `kafka at ${broker}: ${cluster.brokers.length} broker(s), controller ${cluster.controller}\n`,
    );
    process.exit(0);
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
    await admin.disconnect().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
process.stderr.write(`kafka at ${broker} did not answer within ${seconds} s: ${lastError}\n`);
process.exit(1);
