import type { Migration } from './types';

// Full-text search (issue 4): filled in by the search work.
export const fullText: Migration = {
  version: 4,
  name: 'full-text',
  up: '',
};
