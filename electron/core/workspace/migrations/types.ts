import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3... in order without gaps; stored in PRAGMA user_version once applied. */
  version: number;
  name: string;
  /** SQL script, or a function for migrations that must transform data. */
  up: string | ((db: Database) => void);
}
