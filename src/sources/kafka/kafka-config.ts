import { readFileSync } from "node:fs";
import { type KafkaConfig, logLevel, type SASLOptions } from "kafkajs";
import { ShadowdiffError } from "../../contracts/errors.js";

/** How to reach a cluster: brokers, TLS and SASL, as the CLI and config file give them. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS on; with `caFile` for a private CA, `certFile`/`keyFile` for mutual TLS. */
  readonly tls?: boolean;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly sasl?: {
    readonly mechanism: "plain" | "scram-sha-256" | "scram-sha-512";
    readonly username: string;
    /** From the environment (SHADOWDIFF_KAFKA_PASSWORD), never a flag or a log line. */
    readonly password: string;
  };
}

export function kafkaConfig(settings: KafkaSettings): KafkaConfig {
  if (settings.brokers.length === 0)
    throw new ShadowdiffError("BAD_USAGE", "no Kafka brokers given (--brokers)");
  const ssl =
    settings.tls || settings.caFile || settings.certFile
      ? {
          ...(settings.caFile ? { ca: [readFileSync(settings.caFile, "utf8")] } : {}),
          ...(settings.certFile ? { cert: readFileSync(settings.certFile, "utf8") } : {}),
          ...(settings.keyFile ? { key: readFileSync(settings.keyFile, "utf8") } : {}),
        }
      : undefined;
  return {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    // kafkajs logs through our error path instead: its own log lines would print retries that
    // succeed as errors.
    logLevel: logLevel.NOTHING,
    ...(ssl === undefined ? {} : { ssl }),
    ...(settings.sasl === undefined ? {} : { sasl: settings.sasl as SASLOptions }),
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
  };
}
