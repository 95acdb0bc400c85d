import type { Plan, PlanConfig, IngestOptions, QualityReport } from './types'
/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/** A validated dataset and its data-quality report. */
export declare class Dataset {
  /** What was read and rejected per file, and every treatment applied. */
  get report(): QualityReport
  /**
   * One part of the canonical model as plain objects: `items`, `locations`,
   * `suppliers`, `supply_terms`, `inventory`, `open_orders` or `demand` (long records).
   */
  table(name: string): Array<Record<string, unknown>>
}

/** Parses a CLI configuration file's TOML text into `{plan, ingest}`. */
export declare function configFromToml(text: string): { plan: PlanConfig; ingest: IngestOptions }

/** The demo company's input tables as CSV text by table name. */
export declare function demoTables(configJson?: string | undefined | null): Promise<Record<string, string>>

/** Plans a dataset with a JSON configuration; resolves to the plan as a plain object. */
export declare function plan(dataset: Dataset, configJson?: string | undefined | null): Promise<Plan>

/** `plan.csv` text of a plan object (as the CLI writes it). */
export declare function planCsv(plan: Plan): string

/** `purchase_orders.csv` text of a plan object. */
export declare function purchaseOrdersCsv(plan: Plan): string

/** Reads and validates the CSV tables of a folder. */
export declare function readFolder(path: string, ingestJson?: string | undefined | null): Promise<Dataset>

/** Validates tables given as `{ items: {name, text}, ... }`. */
export declare function readTables(tables: Record<string, TableText>, ingestJson?: string | undefined | null): Promise<Dataset>

/** The CLI's summary text of a plan object. */
export declare function summaryText(plan: Plan): string

/** One input table: the name problems are reported under, and its CSV text. */
export interface TableText {
  name: string
  text: string
}
