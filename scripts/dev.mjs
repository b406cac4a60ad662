// `npm run dev`: everything the app needs on this machine, then wrangler dev.
// Local D1 gets its migrations first; Ctrl-C stops every process started here.
import { spawn } from 'node:child_process';

const children = new Set();

// No usage metrics from local development.
const childEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

function run(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', env: childEnv, ...options });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function runToEnd(command, args) {
  return new Promise((resolve, reject) => {
    run(command, args).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

function stopAll(code = 0) {
  for (const child of children) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

const wrangler = ['wrangler'];
const port = process.env.PORT ?? '8787';

try {
  await runToEnd('npx', [...wrangler, 'd1', 'migrations', 'apply', 'DB', '--local']);
} catch (error) {
  console.error(error.message);
  stopAll(1);
}

const dev = run('npx', [...wrangler, 'dev', '--port', port, ...process.argv.slice(2)]);
dev.on('exit', (code) => stopAll(code ?? 0));
