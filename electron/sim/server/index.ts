// The Otesse API simulator server (docs/otesse-api.md).
export { startSimServer, type SimServer, type SimServerOptions, type FaultEvent } from './server';
export { parseFaults, FaultSpecError, NO_FAULTS, type FaultSpec } from './faults';
export { FOREIGN_KEY_ID } from './scenario';
export type { CatalogBundle } from './catalog';
