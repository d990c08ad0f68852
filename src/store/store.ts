import type { PairRow, ReleaseRow, UnpairedRow } from "../contracts/pair-row.js";
import type { EncodedRows } from "./tab-separated.js";

/**
 * The store: ClickHouse, reached either as a server (@clickhouse/client) or in-process (chDB).
 * Callers speak SQL that both engines accept; the two implementations differ only in transport
 * and pass one shared conformance suite. Aggregation happens in SQL: `query` is for aggregates
 * and bounded samples, never for the whole pairs table.
 */
export interface Store {
  readonly kind: "chdb" | "clickhouse";
  /** Where the data lives, for messages (`chdb:./.shadowdiff`, `http://127.0.0.1:8123/db`). */
  readonly location: string;
  /** The database every table lives in. */
  readonly database: string;
  /** Runs a statement that returns no rows (DDL, INSERT … SELECT). */
  exec(sql: string): Promise<void>;
  /** Runs a query and returns its rows (JSONEachRow). */
  query<Row>(sql: string): Promise<Row[]>;
  /** Inserts rows in one request (TabSeparated, columns named by the first row); the caller batches. */
  insertRows(table: string, rows: readonly object[]): Promise<void>;
  /** Inserts rows encoded beforehand (`encodeRows`), in one request. */
  insertEncoded(table: string, encoded: EncodedRows): Promise<void>;
  close(): Promise<void>;
}

/** `read`: open without creating anything (read-only credentials); `write`: create what is missing. */
export type StoreAccess = "read" | "write";

/** What the pipeline writes with: idempotent by key, so a retried batch changes nothing. */
export interface PairWriter {
  writePairs(rows: readonly PairRow[]): Promise<void>;
  /** Pair rows encoded beforehand (a consumer gathering a large insert keeps bytes, not rows). */
  writeEncodedPairs(encoded: EncodedRows): Promise<void>;
  writeReleases(rows: readonly ReleaseRow[]): Promise<void>;
  writeUnpaired(rows: readonly UnpairedRow[]): Promise<void>;
}
