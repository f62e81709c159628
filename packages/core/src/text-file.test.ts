import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { binaryReason, readTextFile } from './text-file.js';

describe('readTextFile', () => {
  it('names a missing file, a folder, a file that is not text, and never echoes its bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-text-'));
    const read = (file: string) => readTextFile(file, `--from ${file}`, 'Give a .sql file.');
    await expect(read(join(dir, 'nope.sql'))).rejects.toThrow(`--from ${join(dir, 'nope.sql')}: no such file`);
    await expect(read(dir)).rejects.toThrow(`--from ${dir}: is a folder, not a file`);
    const garbage = join(dir, 'garbage.sql');
    await writeFile(garbage, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) % 256)));
    const error = (await read(garbage).catch((e: unknown) => e)) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/is not a text file: it holds binary data \(a NUL byte at byte \d+\)$/);
    expect(error.message).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u007f-\u00ff\ufffd]/);
    const text = join(dir, 'ok.sql');
    await writeFile(text, '-- café, naïve\nCREATE TABLE t (id int);\n');
    expect(await read(text)).toContain('café');
  });

  it('tells binary from text without a NUL: control characters and bytes that are not UTF-8', () => {
    expect(binaryReason(gzipSync('CREATE TABLE t (id int);'))).toBe('it is gzip-compressed');
    const noNul = Buffer.from(Array.from({ length: 2000 }, (_, i) => 1 + ((i * 97) % 255)));
    expect(binaryReason(noNul)).toMatch(/control characters or not UTF-8/);
    // A Latin-1 file with a few accented letters in comments is still text.
    expect(binaryReason(Buffer.from('-- caf\xe9\nCREATE TABLE t (id int);\n'.repeat(20), 'latin1'))).toBeUndefined();
  });
});
