/**
 * Staged real adaptive execution: a network cut at its skip / exit decisions
 * (plan.ts), one executor applying the decisions (execute.ts), run on tfjs
 * (tfjs.ts) or on one onnxruntime session per stage (ort.ts).
 */
export { INPUT_REGISTER, StagePlanError, callSteps, validatePlan, type BranchStep, type CallStep, type ExitStep, type StageFn, type StageGraph, type StagePlan, type Step } from './plan.js';
export { blockRuns, executePlan, exitConfident, softmaxTop, type ExecuteOptions, type StageBackend, type StagedExecution } from './execute.js';
export { runPlanTfjs, tfjsStageBackend } from './tfjs.js';
export { compileStagedOrt, OrtStagedNetwork, type StagedOrtOptions } from './ort.js';
