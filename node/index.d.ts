import type { Dataset } from './native'
import type {
  DemoOptions,
  IngestOptions,
  Plan,
  PlanConfig,
  Problem,
  TableName,
} from './types'

export * from './types'
export { Dataset } from './native'

/** Base class of every error: `code` is stable (`VALIDATION`, `CONFIG`, `IO`, `INVALID_INPUT`, `INTERNAL`). */
export declare class ReplenishError extends Error {
  code: 'VALIDATION' | 'CONFIG' | 'IO' | 'INVALID_INPUT' | 'INTERNAL' | string
  /** Every data problem found (validation errors), in file and row order. */
  problems: Problem[]
  /** The configuration field at fault (configuration errors). */
  field?: string
}
export declare class ValidationError extends ReplenishError {}
export declare class ConfigError extends ReplenishError {}

/** A table: CSV text, a Buffer of CSV, or an array of plain objects (one per row). */
export type TableInput = string | Buffer | Array<Record<string, unknown>>
export type Tables = Partial<Record<TableName | 'openOrders', TableInput>> & {
  items: TableInput
  suppliers: TableInput
  sales: TableInput
  inventory: TableInput
}

export interface ReadOptions {
  ingest?: IngestOptions
}

export declare const TABLES: readonly TableName[]

/** Reads and validates the CSV tables of a folder. */
export declare function readFolder(path: string, options?: ReadOptions): Promise<Dataset>
/** Validates tables given as CSV text, Buffers or arrays of plain objects. */
export declare function readTables(tables: Tables, options?: ReadOptions): Promise<Dataset>
/** Plans replenishment for a folder path, a Dataset or an object of tables. */
export declare function plan(data: string | Dataset | Tables, config?: PlanConfig | null, options?: ReadOptions): Promise<Plan>
/** The built-in demo company's input tables as CSV text by table name. */
export declare function demoData(options?: DemoOptions): Promise<Record<TableName, string>>
/** Reads a CLI configuration file (TOML with [plan] and [ingest]). */
export declare function loadConfig(path: string): { plan: PlanConfig; ingest: IngestOptions }
/** `plan.csv` text, as the CLI writes it. */
export declare function planCsv(plan: Plan): string
/** `purchase_orders.csv` text, as the CLI writes it. */
export declare function purchaseOrdersCsv(plan: Plan): string
/** The summary text the CLI prints. */
export declare function summaryText(plan: Plan): string
/** Plain objects to CSV text (header = union of keys). */
export declare function toCsv(records: Array<Record<string, unknown>>): string
