/**
 * The crash tests' harness: run a writer script in a child process (through tsx), hand each
 * line it prints to `onLine`, and SIGKILL it at a random moment (up to `maxDelayMs`) once
 * `ready()` says enough has been reported. Resolves when the child is dead by that signal;
 * rejects, with the start of its standard error, when it exits any other way.
 *
 * @module
 */
import { spawn } from 'node:child_process';

export function runUntilKilled(script: string, args: readonly string[], options: { onLine(line: string): void; ready(): boolean; maxDelayMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        options.onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
      if (!armed && options.ready()) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * options.maxDelayMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited with ${code}: ${stderr.slice(0, 2000)}`));
    });
  });
}
