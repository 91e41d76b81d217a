import type { Migration } from './types';

// Review workflow (issue 6): filled in by the review work.
export const review: Migration = {
  version: 5,
  name: 'review',
  up: '',
};
