/**
 * Imported by a test file that checks backend selection itself, from a
 * process where no backend was chosen: test/setup/backend.ts then leaves
 * the backend alone for that file.
 */
(globalThis as { deepperformOwnBackend?: boolean }).deepperformOwnBackend = true;
