import type { ReactNode } from 'react';
import type { ApiError } from '../../../shared/api';

/** One clear line for a failed call; `unsupported` reads as unavailable, not as broken. */
export function ErrorLine(props: { error: ApiError | string | null }) {
  const { error } = props;
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  const unsupported = typeof error !== 'string' && error.code === 'unsupported';
  return (
    <p className={unsupported ? 'notice' : 'error-line'} role={unsupported ? 'status' : 'alert'}>
      {unsupported ? `Not available here: ${message}` : message}
    </p>
  );
}

export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <p className="empty-title">{props.title}</p>
      {props.children ? <div className="empty-body">{props.children}</div> : null}
    </div>
  );
}
