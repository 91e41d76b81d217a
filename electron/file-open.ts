// Bundle files the OS hands to the app: command-line arguments (Windows and Linux file association,
// a second instance forwarding its argv) and macOS open-file events. Only existing `.otbundle` files
// count; flags, the app's own path and anything else are ignored.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { BUNDLE_EXTENSION } from './dialogs';

export function isBundlePath(path: string): boolean {
  if (!isAbsolute(path) || !path.toLowerCase().endsWith(`.${BUNDLE_EXTENSION}`)) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Bundle paths among command-line arguments, relative ones resolved against `cwd`. */
export function bundlePathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const paths: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    const path = resolve(cwd, arg);
    if (isBundlePath(path) && !paths.includes(path)) paths.push(path);
  }
  return paths;
}
