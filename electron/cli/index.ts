import { main } from './main';

// A reader that stops early (`audit-desk search | head -1`) closes the pipe: that is the reader's
// choice, not an error. Stay quiet (no EPIPE stack trace) and keep the command's own exit code.
let writeFailed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    writeFailed = true;
    process.exitCode = 3;
    if (stream === process.stdout)
      process.stderr.write(`audit-desk: cannot write output: ${error.code ?? error.message}\n`);
  });
}

const code = await main(process.argv.slice(2));
process.exitCode = writeFailed ? 3 : code;
