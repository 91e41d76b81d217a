// Byte layout of a bundle file (docs/bundle-format.md):
//   line 1  "AUDITDESK-BUNDLE/1"
//   line 2  header JSON {"manifest":{...},"signature":"<base64>"}, possibly padded with spaces
//   then    payload: one canonical (RFC 8785) entry per line, each line ending in "\n"
export const MAGIC_PREFIX = 'AUDITDESK-BUNDLE/';
export const MAGIC_LINE = `${MAGIC_PREFIX}1`;
export const BUNDLE_EXTENSION = '.otbundle';

/** Longest magic or header line a reader accepts before calling the file "not a bundle". */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Longest entry line accepted (entries may carry 10 kB strings; this leaves ample room). */
export const MAX_ENTRY_LINE_BYTES = 16 * 1024 * 1024;
