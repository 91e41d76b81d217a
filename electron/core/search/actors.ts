// `user:` values to actor ids, through the actors table (one row per actor, its newest name and
// e-mail): the id exactly, or the name or e-mail ignoring case. Resolved before the entries query
// so that one actor becomes `actor_id = ?`, an index equality that keeps seq order.
import type { Database } from 'better-sqlite3';
import { FOLD, foldCase, registerSearchFunctions } from './functions';

export function actorResolver(db: Database): (values: string[]) => string[] {
  registerSearchFunctions(db);
  return (values) => {
    const folded = values.map(foldCase);
    const marks = values.map(() => '?').join(', ');
    return db
      .prepare(
        `SELECT id FROM actors WHERE id IN (${marks}) OR ${FOLD}(name) IN (${marks}) OR ${FOLD}(email) IN (${marks}) ORDER BY id`,
      )
      .pluck()
      .all(...values, ...folded, ...folded) as string[];
  };
}
