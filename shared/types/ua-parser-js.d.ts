// The part of ua-parser-js v1 (MIT, no bundled types) Audit Desk uses: the full-text index and the
// detail pane parse user agents with it.
declare module 'ua-parser-js' {
  interface UAPart {
    name?: string;
    version?: string;
  }
  interface UAResult {
    browser: UAPart;
    os: UAPart;
    engine: UAPart;
    device: { vendor?: string; model?: string; type?: string };
    cpu: { architecture?: string };
  }
  class UAParser {
    constructor(ua?: string);
    getResult(): UAResult;
  }
  export default UAParser;
}
