// Browser mode's HTTP protocol (electron/server/ serves it, renderer/src/api/ speaks it), on 127.0.0.1:
// - The page is opened as `http://127.0.0.1:PORT/#token=<token>`: the fragment never reaches the
//   server's logs or the Referer; the page keeps the token in sessionStorage and drops the fragment.
// - Every /api/ request carries `Authorization: Bearer <token>` (401 without it). The server also
//   refuses (403) a Host other than 127.0.0.1:PORT / localhost:PORT (DNS rebinding) and an Origin
//   other than its own.
// - `POST /api/call/<method>`: JSON body = the request; the answer is always an ApiResult in JSON
//   with status 200 (404 for an unknown method, 413 for a body over the limit).
// - `POST /api/upload?name=<file name>`: the raw bytes; answers ApiResult<FileRef>.
// - `GET /api/events`: `text/event-stream` of JobEvents (`data: <json>` blocks), read with fetch
//   (not EventSource, which cannot send the Authorization header); a `: keepalive` comment every 15 s.
// - `GET /api/download/<id>`: a produced file; the id is a random single-use capability handed out
//   in a result's `downloadUrl`, valid for 10 minutes (a link cannot carry the header).
export const TOKEN_FRAGMENT_KEY = 'token';
export const API_CALL_PATH = '/api/call/';
export const API_UPLOAD_PATH = '/api/upload';
export const API_EVENTS_PATH = '/api/events';
export const API_DOWNLOAD_PATH = '/api/download/';
/** Largest JSON request body (a bulk annotate of a million ids fits). */
export const MAX_CALL_BODY_BYTES = 64 * 1024 * 1024;
/** Largest uploaded file (the largest bundle the importer accepts). */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
/**
 * The Content-Security-Policy of every page, desktop and browser mode alike, sent as a response
 * header (index.html carries the same policy in a meta tag, minus frame-ancestors, which browsers
 * only honour in a header).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
