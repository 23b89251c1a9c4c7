/** Mitigation (paper §6): remedies for the slow inputs DeepPerform finds. */
export * from './detector/index.js';
export * from './harden/index.js';
