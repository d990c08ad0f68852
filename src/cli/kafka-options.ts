import { Kafka } from "kafkajs";
import { ShadowdiffError } from "../contracts/errors.js";
import { kafkaConfig } from "../sources/kafka/kafka-config.js";
import { option } from "./option-table.js";

/** The Kafka flags `consume` and `replay` share. */
export const kafkaOptions = {
  brokers: option({
    flags: "--brokers <list>",
    description: "bootstrap brokers, comma-separated",
    env: "SHADOWDIFF_KAFKA_BROKERS",
    defaultValue: "127.0.0.1:9092",
  }),
  clientId: option({ flags: "--client-id <id>", description: "Kafka client id", defaultValue: "shadowdiff" }),
  tls: option<boolean>({ flags: "--tls", description: "connect with TLS", env: "SHADOWDIFF_KAFKA_TLS" }),
  caFile: option({
    flags: "--ca-file <pem>",
    defaultText: "the system CAs",
    description: "CA certificate for TLS",
    env: "SHADOWDIFF_KAFKA_CA_FILE",
  }),
  certFile: option({
    flags: "--cert-file <pem>",
    defaultText: "none",
    description: "client certificate (mutual TLS)",
  }),
  keyFile: option({ flags: "--key-file <pem>", defaultText: "none", description: "client key (mutual TLS)" }),
  saslMechanism: option<"plain" | "scram-sha-256" | "scram-sha-512">({
    flags: "--sasl-mechanism <mechanism>",
    defaultText: "no SASL",
    description: "SASL mechanism; the password comes from SHADOWDIFF_KAFKA_PASSWORD",
    choices: ["plain", "scram-sha-256", "scram-sha-512"],
    env: "SHADOWDIFF_KAFKA_SASL_MECHANISM",
  }),
  saslUsername: option({
    flags: "--sasl-username <user>",
    defaultText: "none",
    description: "SASL user",
    env: "SHADOWDIFF_KAFKA_USERNAME",
  }),
} as const;

export function kafkaClient(
  values: {
    readonly brokers: string;
    readonly clientId: string;
    readonly tls: boolean | undefined;
    readonly caFile: string | undefined;
    readonly certFile: string | undefined;
    readonly keyFile: string | undefined;
    readonly saslMechanism: "plain" | "scram-sha-256" | "scram-sha-512" | undefined;
    readonly saslUsername: string | undefined;
  },
  env: NodeJS.ProcessEnv,
  /** Fewer retries for a start-up check, which should fail in seconds, not half a minute. */
  { retries }: { readonly retries?: number } = {},
): Kafka {
  let sasl:
    | { mechanism: "plain" | "scram-sha-256" | "scram-sha-512"; username: string; password: string }
    | undefined;
  if (values.saslMechanism !== undefined) {
    const password = env.SHADOWDIFF_KAFKA_PASSWORD;
    if (values.saslUsername === undefined || password === undefined) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        "--sasl-mechanism needs --sasl-username and the SHADOWDIFF_KAFKA_PASSWORD environment variable",
      );
    }
    sasl = { mechanism: values.saslMechanism, username: values.saslUsername, password };
  }
  const config = kafkaConfig({
    brokers: values.brokers
      .split(",")
      .map((broker) => broker.trim())
      .filter(Boolean),
    clientId: values.clientId,
    ...(values.tls ? { tls: true } : {}),
    ...(values.caFile === undefined ? {} : { caFile: values.caFile }),
    ...(values.certFile === undefined ? {} : { certFile: values.certFile }),
    ...(values.keyFile === undefined ? {} : { keyFile: values.keyFile }),
    ...(sasl === undefined ? {} : { sasl }),
  });
  return new Kafka(retries === undefined ? config : { ...config, retry: { ...config.retry, retries } });
}

/** An AbortSignal fired by the first SIGTERM or SIGINT (a second one exits at once). */
export function shutdownSignal(onSignal: (name: string) => void): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    // The second signal means "now": whoever sends it has seen the first one not finish.
    if (controller.signal.aborted) process.exit(name === "SIGINT" ? 130 : 143);
    onSignal(name);
    controller.abort();
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    },
  };
}
