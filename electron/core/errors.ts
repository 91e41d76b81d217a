// Errors the faces (CLI, server, IPC) show as one line. `kind` maps to the CLI's exit code:
// usage 2, rejected 1, runtime 3 (CONTRACTS.md §4).
export type ErrorKind = 'usage' | 'rejected' | 'runtime';

export class AuditDeskError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
    this.name = 'AuditDeskError';
  }
}

export const usageError = (message: string) => new AuditDeskError(message, 'usage');
export const runtimeError = (message: string) => new AuditDeskError(message, 'runtime');
export const rejectedError = (message: string) => new AuditDeskError(message, 'rejected');
