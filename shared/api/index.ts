// The typed API between the renderer and the backend (desktop IPC or browser-mode HTTP).
export * from './audit-api';
export * from './result';
export * from './types';
export * from './http';
