// A vitest global setup shared by every workspace: the run's temporary files go into one folder of
// its own (TMPDIR, which os.tmpdir() reads, and which the CLI processes the tests start inherit),
// removed when the run ends. A test that forgets its folder, a CLI's spill file, a killed server's
// data directory: none is left in the system's temporary folder.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const outer = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'understudy-test-run-'));
  // as the system's: servers the tests start as another user (runuser -u postgres) reach their folders in it
  chmodSync(dir, 0o1777);
  process.env.TMPDIR = dir;
  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
