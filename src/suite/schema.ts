/**
 * The suite JSON Schema (the single source of truth of the format) and the
 * few facts other modules read from it.
 */
import schemaJson from './suite.schema.json' with { type: 'json' };

export const suiteSchema: Readonly<Record<string, unknown>> = schemaJson;

/** Baseline methods a suite may list, from the schema's enum. */
export const BASELINE_NAMES: readonly string[] = schemaJson.properties.baselines.items.anyOf[0].enum as string[];

/** Forms of L_perf a suite may name (generator.train.perfLoss), from the schema's enum. */
export const PERF_LOSS_NAMES: readonly string[] = schemaJson.properties.generator.properties.train.properties.perfLoss.enum as string[];
